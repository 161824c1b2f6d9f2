// A grid of test digits with the model's predictions; wrong ones are marked.

/** Paints a 28×28 image (values 0..1, white on black) onto `canvas`, scaled to its size. */
export function paintDigit(canvas: HTMLCanvasElement, pixels: ArrayLike<number>): void {
  const small = new ImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * pixels[i]!);
    small.data.set([v, v, v, 255], 4 * i);
  }
  const ctx = canvas.getContext('2d')!;
  const buffer = document.createElement('canvas');
  buffer.width = buffer.height = 28;
  buffer.getContext('2d')!.putImageData(small, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(buffer, 0, 0, canvas.width, canvas.height);
}

export function renderDigitGrid(container: HTMLElement, images: Float32Array, labels: Int32Array, predicted: readonly number[]): void {
  container.replaceChildren(...predicted.map((p, i) => {
    const cell = document.createElement('figure');
    const wrong = p !== labels[i];
    cell.className = wrong ? 'digit wrong' : 'digit';
    cell.dataset.label = String(labels[i]);
    cell.dataset.predicted = String(p);
    const canvas = Object.assign(document.createElement('canvas'), { width: 56, height: 56 });
    paintDigit(canvas, images.subarray(i * 784, (i + 1) * 784));
    const caption = Object.assign(document.createElement('figcaption'), {
      className: 'label',
      textContent: wrong ? `${p} ✗ (is ${labels[i]})` : `${p}`,
    });
    cell.append(canvas, caption);
    return cell;
  }));
}
