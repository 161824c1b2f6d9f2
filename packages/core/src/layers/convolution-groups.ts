import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';

// Keras's `groups` of Conv1D, Conv2D and Conv3D: the input channels split into groups convolved apart,
// each into filters / groups output channels.

/** `groups` checked: a positive integer dividing `filters`; otherwise an error naming `layer`. */
export function groupsArgument(layer: string, filters: number, groups = 1): number {
  const checked = numberArgument(layer, 'groups', groups, POSITIVE_INTEGER);
  if (filters % checked !== 0) throw new Error(`${layer}: filters must be a multiple of groups, got filters ${filters} and groups ${checked}`);
  return checked;
}

/** The kernel's input channels, the input's `channels` / `groups`, or an error naming `label` when they do not divide. */
export function channelsPerGroup(label: string, channels: number, groups: number): number {
  if (channels % groups !== 0) throw new Error(`${label}: the input's channels must be a multiple of groups, got ${channels} channels and groups ${groups}`);
  return channels / groups;
}
