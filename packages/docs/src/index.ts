// Public API of @perceptron/docs: the reference pages of the packages, read from their sources.
export { readApi, type ApiEntry, type ApiMember } from './api-entries.js';
export { apiMarkdown, type ApiPage } from './api-markdown.js';
export { API_PAGES, pageMarkdown, pagePath, type DocumentedPackage } from './api-pages.js';
