import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';
import { gatherAlong } from './elements.js';
import { lastAxisOp } from './softmax.js';

// The losses torch.onnx writes for nn.NLLLoss and nn.CrossEntropyLoss: NegativeLogLikelihoodLoss
// and SoftmaxCrossEntropyLoss (the first on log-probabilities along axis 1 of the scores). Each
// target picks its class's entry along C (a gather, so gradients reach the input), weighed by the
// class's weight; targets equal to ignore_index weigh 0. 'mean' divides by the weights' sum.

const REDUCTIONS = ['none', 'sum', 'mean'];

/** The weighed negative log-likelihood of `logProbabilities` [N, C, ...] at `target` [N, ...], reduced; the weights from input `weightInput` when given. */
function negativeLogLikelihood(c: NodeContext, logProbabilities: Tensor, weightInput: number): Tensor {
  const reduction = c.string('reduction', 'mean');
  if (!REDUCTIONS.includes(reduction)) c.fail(`reduction '${reduction}' is not one of 'none', 'sum', 'mean'`);
  const target = c.tensor(1);
  const expected = [logProbabilities.shape[0], ...logProbabilities.shape.slice(2)];
  if (logProbabilities.rank < 2 || target.dtype !== 'int32' || target.shape.join() !== expected.join()) {
    c.fail(`expected scores [N, C, ...] and integer targets [N, ...] without C, got ${pc.formatShape(logProbabilities.shape)} and ${target.dtype} ${pc.formatShape(target.shape)}`);
  }
  const ignored = c.has('ignore_index') ? pc.equal(target, c.int('ignore_index', 0)) : pc.fill(target.shape, false);
  // Ignored targets may be any number (−100 is torch's): they read class 0, weighed 0.
  const classes = pc.where(ignored, 0, target);
  const picked = pc.squeeze(gatherAlong(logProbabilities, pc.expandDims(classes, 1), 1), [1]);
  const given = c.inputs[weightInput] ? pc.gather(c.tensor(weightInput), classes) : pc.onesLike(picked);
  const weights = pc.where(ignored, 0, given);
  const losses = pc.neg(pc.mul(picked, weights));
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? pc.sum(losses) : pc.div(pc.sum(losses), pc.sum(weights));
}

export const LOSS_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  NegativeLogLikelihoodLoss: (c) => negativeLogLikelihood(c, c.tensor(0), 2),
  // The loss, and (when the node names it) the log-probabilities it was computed from.
  SoftmaxCrossEntropyLoss: (c) => {
    const scores = c.tensor(0);
    if (scores.rank < 2) c.fail(`expected scores [N, C, ...], got ${pc.formatShape(scores.shape)}`);
    const logProbabilities = lastAxisOp((x) => pc.logSoftmax(x), scores, 1);
    const loss = negativeLogLikelihood(c, logProbabilities, 2);
    return (c.node.output ?? [])[1] ? [loss, logProbabilities] : loss;
  },
};
