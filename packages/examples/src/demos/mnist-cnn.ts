// The demo CNN's layers, browser-safe (the playground trains it too).
import * as pc from '@perceptron/core';

/**
 * 28×28 images from the lab's 784-wide rows, one convolution and pooling, a strided convolution,
 * then the classifier: small enough that an epoch takes seconds on simd (about 9 s on two cores)
 * (a second 'same' convolution before a second pooling doubles that for ~0.5 % accuracy).
 * `augmentation`: layers the images pass through first (demo:augment's random moves).
 */
export function mnistCnn(augmentation: readonly pc.Layer[] = []): pc.Sequential {
  return new pc.Sequential([
    new pc.Reshape([28, 28, 1], { inputShape: [784] }),
    ...augmentation,
    new pc.Conv2D(8, 3, { activation: 'relu' }),
    new pc.MaxPooling2D(),
    new pc.Conv2D(16, 3, { strides: 2, activation: 'relu' }),
    new pc.Flatten(),
    new pc.Dense(10, { activation: 'softmax' }),
  ], { name: 'mnist_cnn' });
}
