/**
 * The name a class is saved under: its own static `className`, else its constructor's name. Only
 * a `className` the class declares itself counts: a subclass without one is saved under its own
 * name rather than its parent's, so it does not load back as the parent. The built-in classes
 * declare theirs, which keeps saved files loadable from a minified bundle that renames classes.
 */
export function classNameOf(cls: { readonly name: string; readonly className?: string }): string {
  return Object.prototype.hasOwnProperty.call(cls, 'className') && cls.className ? cls.className : cls.name;
}
