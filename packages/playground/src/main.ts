// The playground page: settings → train the lab's MLP (or demo:cnn's CNN) on MNIST with live
// progress → test digits with predictions → draw a digit and see the class probabilities.
import '@perceptron/backend-naive';
import '@perceptron/backend-simd';
import { setTfjsWasmPaths } from '@perceptron/backend-tfjs';
import { disposeBackend, getBackend, listBackends, setBackend, type Model } from '@perceptron/core';
import { exportOnnx, onnxUnavailable } from 'virtual:perceptron-onnx';
import { drawBars } from './bars.js';
import { chosenBackend, markBackendFailed, renderBackendPicker } from './backend-picker.js';
import { installContextLossWatch, loseWebglContexts, onWebglContextLost } from './context-loss.js';
import { drawCurves } from './curves.js';
import { paintDigit, renderDigitGrid } from './digits.js';
import { loadMnist, type Mnist } from './mnist.js';
import { setUpPad } from './pad.js';
import { toMnist } from './preprocess.js';
import { parseSettings, type ModelKind, type RawSettings, type SettingsField } from './settings.js';
import { classProbabilities, predictClasses, releaseModel, trainModel, TrainingAborted } from './train.js';

installContextLossWatch();
setTfjsWasmPaths('/tfjs-wasm/');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('settings');
const backends = $<HTMLFieldSetElement>('backends');
const progress = $<HTMLParagraphElement>('progress');
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');
const onnxButton = $<HTMLButtonElement>('download-onnx');
const prediction = $<HTMLParagraphElement>('prediction');
const GRID_SIZE = 40;

let model: { trained: Model; kind: ModelKind } | null = null;
/** The backend the last run trained on: freed when a run picks another. */
let lastBackend: string | null = null;
let stopRequest: { reason: string; immediately: boolean } | null = null;
// Read through a function: the request changes while training awaits, which TS cannot see.
const pendingStop = () => stopRequest;
let running = false;

/** `data-state` on <body> says where the page is: idle, training, trained or failed. */
function setState(state: 'idle' | 'training' | 'trained' | 'failed', message: string): void {
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

function showTestDigits(data: Mnist, trained: Model): void {
  const predicted = predictClasses(trained, data.test, GRID_SIZE);
  renderDigitGrid($('digits'), data.test.x, data.test.y, predicted);
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
  running = true;
  stopRequest = null;
  trainButton.disabled = true;
  stopButton.disabled = false;
  onnxButton.disabled = true;
  const stopOnLoss = onWebglContextLost(() => {
    stopRequest = { reason: 'the WebGL context was lost (GPU reset or too many contexts)', immediately: true };
  });
  try {
    setState('training', `starting ${backend}…`);
    try {
      await setBackend(backend);
    } catch (error) {
      markBackendFailed(backend, (error as Error).message);
      renderBackendPicker(backends);
      setState('failed', `${backend} could not start: ${(error as Error).message}. Pick another backend.`);
      return;
    }
    setState('training', 'loading MNIST…');
    const data = await loadMnist(parsed.settings.trainImages);
    if (model) releaseModel(model.trained);
    model = null;
    if (lastBackend !== null && lastBackend !== backend) freeBackend(lastBackend);
    lastBackend = backend;
    const result = await trainModel(parsed.settings, data, {
      progress: (line) => setState('training', line),
      curves: (c) => drawCurves($('curves'), c),
      stopRequest: pendingStop,
    });
    model = { trained: result.model, kind: parsed.settings.model };
    progress.dataset.valAccuracy = String(result.valAccuracy);
    // simd says how many threads it computes on (more than one in a cross-origin isolated page).
    const threads = (getBackend() as { threads?: number }).threads ?? 1;
    const summary = `${backend}${threads > 1 ? ` (${threads} threads)` : ''}: validation accuracy ${result.valAccuracy.toFixed(4)}, loss ${result.valLoss.toFixed(4)} on ${data.validation.count} images`;
    setState('trained', result.stopped ? `${summary} (stopped early: ${result.stopped})` : summary);
    showTestDigits(data, result.model);
    onnxButton.disabled = exportOnnx === null;
    $('onnx-note').textContent = onnxUnavailable ?? 'ONNX download: the trained model, opset default of @perceptron/onnx.';
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
    running = false;
    trainButton.disabled = false;
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
  if (!model || running) {
    prediction.textContent = running ? 'Training… try again when it is done.' : 'Train a model first.';
    return;
  }
  try {
    const probabilities = classProbabilities(model.trained, digit);
    const best = probabilities.indexOf(Math.max(...probabilities));
    prediction.dataset.predicted = String(best);
    prediction.textContent = `Looks like a ${best} (${(100 * probabilities[best]!).toFixed(1)}%)`;
    drawBars($('bars'), probabilities);
  } catch (error) {
    prediction.textContent = `Could not predict: ${(error as Error).message}`;
  }
}

async function downloadOnnx(): Promise<void> {
  if (!model || exportOnnx === null) return;
  try {
    const bytes = await exportOnnx(model.trained);
    const link = Object.assign(document.createElement('a'), {
      href: URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' })),
      download: `mnist-${model.kind}.onnx`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    $('onnx-note').textContent = `ONNX export failed: ${(error as Error).message}`;
  }
}

// The fastest backend this browser can run comes first (simd where WebAssembly has SIMD).
renderBackendPicker(backends);
$('onnx-note').textContent = onnxUnavailable ?? 'ONNX download: after training.';
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void train();
});
stopButton.addEventListener('click', () => {
  stopRequest = { reason: 'stopped by you', immediately: false };
});
onnxButton.addEventListener('click', () => void downloadOnnx());
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
