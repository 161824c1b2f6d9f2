// The playground page: settings → train the lab's MLP (or demo:cnn's CNN) on MNIST with live
// progress, or open an ONNX model of digits → test digits with predictions → draw a digit and
// see the class probabilities.
import '@perceptron/backend-naive';
import '@perceptron/backend-simd';
import { setTfjsWasmPaths } from '@perceptron/backend-tfjs';
import { disposeBackend, getBackend, listBackends, setBackend } from '@perceptron/core';
import { exportOnnx } from '@perceptron/onnx';
import { drawBars } from './bars.js';
import { chosenBackend, markBackendFailed, renderBackendPicker } from './backend-picker.js';
import { classProbabilities, predictClasses, type DigitClassifier } from './classifier.js';
import { installContextLossWatch, loseWebglContexts, onWebglContextLost } from './context-loss.js';
import { drawCurves } from './curves.js';
import { paintDigit, renderDigitGrid } from './digits.js';
import { loadMnist, type Split } from './mnist.js';
import { openOnnx } from './open-onnx.js';
import { setUpPad } from './pad.js';
import { toMnist } from './preprocess.js';
import { parseSettings, type ModelKind, type RawSettings, type SettingsField } from './settings.js';
import { releaseModel, trainModel, TrainingAborted } from './train.js';

installContextLossWatch();
setTfjsWasmPaths('/tfjs-wasm/');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('settings');
const backends = $<HTMLFieldSetElement>('backends');
const progress = $<HTMLParagraphElement>('progress');
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');
const onnxButton = $<HTMLButtonElement>('download-onnx');
const openButton = $<HTMLButtonElement>('open-onnx');
const onnxFile = $<HTMLInputElement>('onnx-file');
const prediction = $<HTMLParagraphElement>('prediction');
const GRID_SIZE = 40;
const ONNX_NOTE = 'Download: the trained model as ONNX. Open: an ONNX model of 28×28 digits, from here or elsewhere (input [N, 784], [N, 28, 28, 1] or [N, 1, 28, 28]).';

/** The model the page reads digits with; `download` names the file a trained one is exported to (null for an opened one). */
let current: { classifier: DigitClassifier; download: string | null } | null = null;
/** The backend the current model lives on: freed when a run picks another. */
let lastBackend: string | null = null;
let stopRequest: { reason: string; immediately: boolean } | null = null;
// Read through a function: the request changes while training awaits, which TS cannot see.
const pendingStop = () => stopRequest;
let running = false;

/** `data-state` on <body> says where the page is: idle, training, trained, opening (an ONNX model), opened or failed. */
function setState(state: 'idle' | 'training' | 'trained' | 'opening' | 'opened' | 'failed', message: string): void {
  document.body.dataset.state = state;
  progress.textContent = message;
  progress.classList.toggle('failed', state === 'failed');
}

function showFieldErrors(errors: Partial<Record<SettingsField, string>>): void {
  for (const span of form.querySelectorAll<HTMLSpanElement>('.error')) {
    const field = span.dataset.for as SettingsField;
    span.textContent = errors[field] ?? '';
    (form.elements.namedItem(field) as HTMLInputElement).setAttribute('aria-invalid', String(Boolean(errors[field])));
  }
}

function readSettings(): RawSettings {
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  return { model: value('model'), epochs: value('epochs'), batchSize: value('batchSize'), learningRate: value('learningRate'), hidden: value('hidden'), trainImages: value('trainImages') };
}

function showTestDigits(test: Split, classifier: DigitClassifier): void {
  renderDigitGrid($('digits'), test.x, test.y, predictClasses(classifier, test, GRID_SIZE));
}

/** Makes `backend` the active one; false, with the page told why, if it cannot start. */
async function startBackend(backend: string): Promise<boolean> {
  try {
    await setBackend(backend);
    return true;
  } catch (error) {
    markBackendFailed(backend, (error as Error).message);
    renderBackendPicker(backends);
    setState('failed', `${backend} could not start: ${(error as Error).message}. Pick another backend.`);
    return false;
  }
}

/** Puts `next` in place of the current model, freeing the old one and, if `backend` differs, the backend it lived on. */
function replaceModel(next: typeof current, backend: string): void {
  if (current) releaseModel(current.classifier.model);
  current = next;
  if (lastBackend !== null && lastBackend !== backend) freeBackend(lastBackend);
  lastBackend = backend;
}

/** While training or opening a model, the buttons that would start another run are off. */
function setRunning(on: boolean): void {
  running = on;
  trainButton.disabled = on;
  openButton.disabled = on;
  stopButton.disabled = !on;
}

async function train(): Promise<void> {
  const parsed = parseSettings(readSettings());
  if ('errors' in parsed) {
    showFieldErrors(parsed.errors);
    setState('failed', 'Fix the settings marked in red, then train again.');
    return;
  }
  showFieldErrors({});
  const backend = chosenBackend(backends);
  if (backend === null) {
    setState('failed', 'No backend can run in this browser.');
    return;
  }
  setRunning(true);
  stopRequest = null;
  onnxButton.disabled = true;
  const stopOnLoss = onWebglContextLost(() => {
    stopRequest = { reason: 'the WebGL context was lost (GPU reset or too many contexts)', immediately: true };
  });
  try {
    setState('training', `starting ${backend}…`);
    if (!(await startBackend(backend))) return;
    setState('training', 'loading MNIST…');
    const data = await loadMnist(parsed.settings.trainImages);
    replaceModel(null, backend);
    const result = await trainModel(parsed.settings, data, {
      progress: (line) => setState('training', line),
      curves: (c) => drawCurves($('curves'), c),
      stopRequest: pendingStop,
    });
    const kind: ModelKind = parsed.settings.model;
    current = { classifier: { model: result.model, name: `the ${kind.toUpperCase()}`, imageShape: [784], outputs: 'probabilities' }, download: `mnist-${kind}.onnx` };
    progress.dataset.valAccuracy = String(result.valAccuracy);
    // simd says how many threads it computes on (more than one in a cross-origin isolated page).
    const threads = (getBackend() as { threads?: number }).threads ?? 1;
    const summary = `${backend}${threads > 1 ? ` (${threads} threads)` : ''}: validation accuracy ${result.valAccuracy.toFixed(4)}, loss ${result.valLoss.toFixed(4)} on ${data.validation.count} images`;
    setState('trained', result.stopped ? `${summary} (stopped early: ${result.stopped})` : summary);
    showTestDigits(data.test, current.classifier);
    onnxButton.disabled = false;
    $('onnx-note').textContent = ONNX_NOTE;
    prediction.textContent = 'Draw a digit on the black pad.';
  } catch (error) {
    const lost = pendingStop()?.immediately === true;
    const message = error instanceof TrainingAborted || lost ? `Training stopped: ${pendingStop()?.reason ?? (error as Error).message}.` : `Training failed: ${(error as Error).message}`;
    // The lost context's backend is freed (trainModel freed the model): the next run on it makes
    // a fresh one, on a new context. If it cannot be freed, it is offered no more.
    const renewable = lost && freeBackend(backend);
    if (renewable) lastBackend = null;
    else if (lost) {
      markBackendFailed(backend, 'its WebGL context was lost; reload the page to use it again');
      renderBackendPicker(backends);
    }
    const next = renewable ? ` Train again to start ${backend} on a new context, or pick another backend.` : lost ? ' Pick another backend and train again.' : '';
    setState('failed', `${message}${next}`);
  } finally {
    stopOnLoss();
    setRunning(false);
  }
}

/** Test images read per step while an opened model is tested, between repaints of the progress. */
const TEST_CHUNK = 500;

/**
 * Opens an ONNX model of digits on the chosen backend and tests it on the 10,000 test images.
 * The current model stays, on its backend, until the new one has loaded and passed its test.
 */
async function openModel(file: File): Promise<void> {
  const backend = chosenBackend(backends);
  if (backend === null) {
    setState('failed', 'No backend can run in this browser.');
    return;
  }
  setRunning(true);
  stopButton.disabled = true;
  const previousBackend = lastBackend;
  let opened: DigitClassifier | null = null;
  try {
    setState('opening', `starting ${backend}…`);
    if (!(await startBackend(backend))) return;
    setState('opening', 'loading MNIST…');
    const { test } = await loadMnist(0);
    setState('opening', `importing ${file.name}…`);
    opened = openOnnx(new Uint8Array(await file.arrayBuffer()), file.name, test.x.subarray(0, 32 * 784));
    let correct = 0;
    for (let from = 0; from < test.count; from += TEST_CHUNK) {
      const count = Math.min(TEST_CHUNK, test.count - from);
      correct += predictClasses(opened, test, count, from).filter((p, i) => p === test.y[from + i]).length;
      setState('opening', `testing ${file.name} on ${backend}: ${from + count}/${test.count} images`);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    replaceModel({ classifier: opened, download: null }, backend);
    const accuracy = correct / test.count;
    progress.dataset.testAccuracy = String(accuracy);
    const scores = opened.outputs === 'scores' ? ' (it gives scores: the page shows their softmax)' : '';
    setState('opened', `${file.name} on ${backend}: test accuracy ${accuracy.toFixed(4)} on ${test.count} images${scores}`);
    drawCurves($('curves'), { train: [], validation: [], epochs: 1 });
    showTestDigits(test, opened);
    onnxButton.disabled = true;
    prediction.textContent = 'Draw a digit on the black pad.';
  } catch (error) {
    opened?.model.dispose();
    // The current model keeps working: its backend is made active again, the one tried is freed.
    if (previousBackend !== null && previousBackend !== backend) {
      await setBackend(previousBackend);
      freeBackend(backend);
    }
    setState('failed', `Could not open ${file.name}: ${(error as Error).message}`);
  } finally {
    setRunning(false);
    stopButton.disabled = true;
  }
}

/** Frees a backend no run uses any more (its helper Workers, its WebAssembly memory, its GL textures); false if it could not. */
function freeBackend(name: string): boolean {
  try {
    disposeBackend(name);
    return true;
  } catch (error) {
    // The page goes on without freeing it: the backend only keeps holding its memory.
    console.warn(`playground: could not free ${name}: ${(error as Error).message}`);
    return false;
  }
}

function predictDrawing(image: Parameters<Parameters<typeof setUpPad>[1]>[0]): void {
  const digit = toMnist(image);
  if (!digit) return;
  paintDigit($('preview'), digit);
  if (!current || running) {
    prediction.textContent = running ? 'Busy… try again when it is done.' : 'Train or open a model first.';
    return;
  }
  try {
    const probabilities = classProbabilities(current.classifier, digit);
    const best = probabilities.indexOf(Math.max(...probabilities));
    prediction.dataset.predicted = String(best);
    prediction.textContent = `Looks like a ${best} (${(100 * probabilities[best]!).toFixed(1)}%)`;
    drawBars($('bars'), probabilities);
  } catch (error) {
    prediction.textContent = `Could not predict: ${(error as Error).message}`;
  }
}

async function downloadOnnx(): Promise<void> {
  if (!current?.download) return;
  try {
    const bytes = await exportOnnx(current.classifier.model);
    const link = Object.assign(document.createElement('a'), {
      href: URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' })),
      download: current.download,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    $('onnx-note').textContent = `ONNX export failed: ${(error as Error).message}`;
  }
}

// The fastest backend this browser can run comes first (simd where WebAssembly has SIMD).
renderBackendPicker(backends);
$('onnx-note').textContent = ONNX_NOTE;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void train();
});
stopButton.addEventListener('click', () => {
  stopRequest = { reason: 'stopped by you', immediately: false };
});
onnxButton.addEventListener('click', () => void downloadOnnx());
openButton.addEventListener('click', () => onnxFile.click());
onnxFile.addEventListener('change', () => {
  const file = onnxFile.files?.[0];
  // Cleared, so choosing the same file again opens it again.
  onnxFile.value = '';
  if (file && !running) void openModel(file);
});
// The hidden sizes are the MLP's: the field is off while the CNN is chosen.
const modelChoice = form.elements.namedItem('model') as HTMLSelectElement;
const hiddenSizes = form.elements.namedItem('hidden') as HTMLInputElement;
modelChoice.addEventListener('change', () => {
  hiddenSizes.disabled = modelChoice.value !== 'mlp';
});
const pad = setUpPad($('pad'), predictDrawing);
$('clear').addEventListener('click', () => {
  pad.clear();
  drawBars($('bars'), []);
});
drawCurves($('curves'), { train: [], validation: [], epochs: 1 });
setState('idle', 'Pick a backend and press Train.');
// For the end-to-end test: what a GPU reset does to the page, and which backends hold an instance now.
const initializedBackends = () => listBackends().filter((b) => b.initialized).map((b) => b.name);
Object.assign(window, { loseWebglContexts, initializedBackends });
