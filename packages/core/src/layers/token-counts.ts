// What a lookup layer's `adapt` learns from its data, as Keras's IndexLookup counts it: how often
// each token occurs, and (for 'tf_idf') in how many documents, then the vocabulary ordered by count.

/** Token counts over every batch `adapt` reads, kept on the host (a Map: tokens are sparse integers). */
export class TokenCounts {
  readonly #counts = new Map<number, number>();
  readonly #documentCounts = new Map<number, number>();
  #documents = 0;

  /** Counts `tokens`, read as `documents` rows of equal length (each one document for the document counts). */
  add(tokens: ArrayLike<number>, documents: number): void {
    for (let i = 0; i < tokens.length; i++) this.#counts.set(tokens[i]!, (this.#counts.get(tokens[i]!) ?? 0) + 1);
    const length = documents === 0 ? 0 : tokens.length / documents;
    for (let d = 0; d < documents; d++) {
      for (const token of new Set(Array.prototype.slice.call(tokens, d * length, (d + 1) * length) as number[])) {
        this.#documentCounts.set(token, (this.#documentCounts.get(token) ?? 0) + 1);
      }
    }
    this.#documents += documents;
  }

  get size(): number {
    return this.#counts.size;
  }

  /**
   * The tokens seen, but `excluded` (the mask and OOV tokens), most frequent first; ties go to the
   * larger token first, as Keras's descending lexsort on (count, token) orders them.
   */
  ranked(excluded: readonly (number | null)[]): number[] {
    const tokens = [...this.#counts.keys()].filter((t) => !excluded.includes(t));
    return tokens.sort((a, b) => this.#counts.get(b)! - this.#counts.get(a)! || b - a);
  }

  /**
   * Each token's inverse document frequency, log(1 + documents / (1 + documents holding it)) in
   * float64 (Keras divides int64 counts, which TensorFlow does in float64), rounded to float32.
   */
  idfWeights(tokens: readonly number[]): number[] {
    return tokens.map((t) => Math.fround(Math.log(1 + this.#documents / (1 + (this.#documentCounts.get(t) ?? 0)))));
  }
}
