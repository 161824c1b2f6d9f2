// Class probabilities as a bar chart, the most likely class highlighted.

export function drawBars(canvas: HTMLCanvasElement, probabilities: readonly number[]): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const bottom = canvas.height - 20;
  const slot = canvas.width / probabilities.length;
  const best = probabilities.indexOf(Math.max(...probabilities));
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  probabilities.forEach((p, k) => {
    const h = p * (bottom - 16);
    ctx.fillStyle = k === best ? '#2e7d32' : '#90a4ae';
    ctx.fillRect(k * slot + 4, bottom - h, slot - 8, h);
    ctx.fillStyle = '#333';
    ctx.fillText(String(k), k * slot + slot / 2, canvas.height - 5);
    if (p >= 0.01) ctx.fillText(p.toFixed(2), k * slot + slot / 2, bottom - h - 3);
  });
}
