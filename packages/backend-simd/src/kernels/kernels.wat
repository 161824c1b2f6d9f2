;; The SIMD backend's WebAssembly kernels (f32x4): the matrix product, the dot product, one Adam step,
;; float32 arithmetic, max/min and comparisons over flat operands, sigmoid and tanh, column sums in
;; float64, the 2-D convolution and the depthwise one with their two gradients, and max and average
;; pooling with theirs. The JavaScript side (matmul.ts, adam.ts, elementwise.ts, transcendental.ts,
;; column-sums.ts, convolution.ts, depthwise-convolution.ts, pooling.ts) copies operands into this module's memory, calls one function and copies the result out. Addresses,
;; strides and sizes are i32 byte offsets into memory; address 0 is never used for data.
;;
;; Matrix product C = A·B (+ bias, relu):
;;   packB  rearranges B (k×n, any strides) into panels of 8 columns: panel q holds, for each
;;          row p, the 8 values B(p, 8q..8q+7) side by side (zeros past column n). The product
;;          then reads B strictly sequentially, and a transposed B costs one pass of O(k·n)
;;          here instead of strided loads in the O(m·k·n) loop.
;;   packA  rearranges A (m×k, any strides, so A and Aᵀ alike) into blocks of 4 rows: block b
;;          holds, for each p, A(4b..4b+3, p) side by side (rows past m repeat row m−1).
;;   gemm   computes C in blocks of 4 rows × 8 columns held in eight v128 accumulators
;;          (4 rows × 2 vectors of 4 lanes). For each p it loads one panel row of B (2
;;          vectors), broadcasts the 4 values of A's block and does 8 multiplies and 8 adds.
;;          Both operands are read strictly sequentially.
;; Sums accumulate in float32 lanes, one rounding per multiply and per add, p in increasing
;; order: the error grows with k like any float32 dot product. C has a row stride of
;; nPanels·32 bytes (n rounded up to 8) and room for m rounded up to 4 rows: the rows past m
;; (copies of row m−1) are written into that padding.
;;
;; The memory is the caller's (WasmKernels): a plain one, or a shared one when helper threads
;; run shares of large products and convolutions in their own instances of this module
;; (helper-threads.ts).
;; scripts/assemble.ts builds both variants from this text; they differ only in this import.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "packB")
    (param $b i32) (param $bRow i32) (param $bCol i32) (param $k i32) (param $n i32) (param $out i32)
    (local $j0 i32) (local $p i32) (local $j i32) (local $row i32) (local $contiguous i32)
    ;; Rows of B are contiguous when the column stride is one float: full panels copy 2 vectors.
    (local.set $contiguous (i32.eq (local.get $bCol) (i32.const 4)))
    (block $panelsDone
      (loop $panels
        (br_if $panelsDone (i32.ge_u (local.get $j0) (local.get $n)))
        (local.set $p (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $row (i32.add (local.get $b) (i32.mul (local.get $p) (local.get $bRow))))
            (if (i32.and (local.get $contiguous)
                         (i32.le_u (i32.add (local.get $j0) (i32.const 8)) (local.get $n)))
              (then
                (local.set $row (i32.add (local.get $row) (i32.shl (local.get $j0) (i32.const 2))))
                (v128.store (local.get $out) (v128.load (local.get $row)))
                (v128.store offset=16 (local.get $out) (v128.load offset=16 (local.get $row))))
              (else
                ;; A partial panel or strided rows (Bᵀ): one value at a time, zero past column n.
                (local.set $j (i32.const 0))
                (loop $cols
                  (f32.store
                    (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
                    (if (result f32) (i32.lt_u (i32.add (local.get $j0) (local.get $j)) (local.get $n))
                      (then (f32.load (i32.add (local.get $row)
                        (i32.mul (i32.add (local.get $j0) (local.get $j)) (local.get $bCol)))))
                      (else (f32.const 0))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br_if $cols (i32.lt_u (local.get $j) (i32.const 8))))))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows)))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
        (br $panels))))

  (func (export "packA")
    (param $a i32) (param $aRow i32) (param $aCol i32) (param $m i32) (param $k i32) (param $out i32)
    (local $i i32) (local $p i32) (local $r i32) (local $row i32) (local $src i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128)
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $p (i32.const 0))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
          (then
            (if (i32.eq (local.get $aRow) (i32.const 4))
              (then
                ;; Rows one float apart (Aᵀ stored): a group is 4 adjacent floats.
                (local.set $src (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                (block $copied
                  (loop $copy
                    (br_if $copied (i32.ge_u (local.get $p) (local.get $k)))
                    (v128.store (local.get $out) (v128.load (local.get $src)))
                    (local.set $src (i32.add (local.get $src) (local.get $aCol)))
                    (local.set $out (i32.add (local.get $out) (i32.const 16)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $copy))))
              (else
                (if (i32.eq (local.get $aCol) (i32.const 4))
                  (then
                    ;; Rows stored contiguously: transpose 4×4 tiles (rows i..i+3, p..p+3).
                    (local.set $src (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
                    (block $tiled
                      (loop $tiles
                        (br_if $tiled (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $k)))
                        (local.set $r0 (v128.load (local.get $src)))
                        (local.set $r1 (v128.load (i32.add (local.get $src) (local.get $aRow))))
                        (local.set $r2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $aRow) (i32.const 1)))))
                        (local.set $r3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $aRow) (i32.const 3)))))
                        ;; t0 = r0[0] r1[0] r0[1] r1[1], t1 = r2[0] r3[0] r2[1] r3[1]
                        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
                        (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
                        (v128.store (local.get $out)
                          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
                        (v128.store offset=16 (local.get $out)
                          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
                        ;; The same with lanes 2 and 3.
                        (local.set $t0 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
                        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
                        (v128.store offset=32 (local.get $out)
                          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
                        (v128.store offset=48 (local.get $out)
                          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
                        (local.set $src (i32.add (local.get $src) (i32.const 16)))
                        (local.set $out (i32.add (local.get $out) (i32.const 64)))
                        (local.set $p (i32.add (local.get $p) (i32.const 4)))
                        (br $tiles)))))))))
        ;; What is left (a partial last block, the last k mod 4 of a tiled one), one value at
        ;; a time, rows past m repeating row m − 1.
        (block $restDone
          (loop $rest
            (br_if $restDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $r (i32.const 0))
            (loop $rows
              (local.set $row (select
                (i32.add (local.get $i) (local.get $r)) (i32.sub (local.get $m) (i32.const 1))
                (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $m))))
              (f32.store (local.get $out) (f32.load (i32.add (local.get $a)
                (i32.add (i32.mul (local.get $row) (local.get $aRow)) (i32.mul (local.get $p) (local.get $aCol))))))
              (local.set $out (i32.add (local.get $out) (i32.const 4)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br_if $rows (i32.lt_u (local.get $r) (i32.const 4))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rest)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blocks))))

  ;; $bias: address of nPanels·8 floats added to every row, or 0 for none (address 0 is never
  ;; used for data). $relu: 1 applies max(x, 0) after the bias. $skipZeros: see the inner loop.
  (func (export "gemm")
    (param $ap i32) (param $bp i32) (param $c i32)
    (param $m i32) (param $k i32) (param $nPanels i32) (param $bias i32) (param $relu i32)
    (param $skipZeros i32)
    (local $ldc i32) (local $panelBytes i32)
    (local $q i32) (local $i i32) (local $p i32) (local $bq i32) (local $aPtr i32) (local $bPtr i32) (local $cPtr i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128) (local $bias0 v128) (local $bias1 v128)
    (local $zero v128)
    (local.set $ldc (i32.shl (local.get $nPanels) (i32.const 5)))
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (block $panelsDone
      (loop $panels
        (br_if $panelsDone (i32.ge_u (local.get $q) (local.get $nPanels)))
        (local.set $bq (i32.add (local.get $bp) (i32.mul (local.get $q) (local.get $panelBytes))))
        (if (local.get $bias)
          (then
            (local.set $bias0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 5)))))
            (local.set $bias1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 5)))))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
            ;; Block i/4 of packed A: k groups of 4 floats, 16·k bytes.
            (local.set $aPtr (i32.add (local.get $ap) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 2))))
            (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero))
            (local.set $c10 (local.get $zero)) (local.set $c11 (local.get $zero))
            (local.set $c20 (local.get $zero)) (local.set $c21 (local.get $zero))
            (local.set $c30 (local.get $zero)) (local.set $c31 (local.get $zero))
            (local.set $bPtr (local.get $bq))
            (local.set $p (local.get $k))
            (if (local.get $p)
              (then
                (loop $inner
                  (block $skip
                  ;; With $skipZeros, a group of A that is all ±0 is skipped (as naive's
                  ;; loop skips zeros). Images have many: MNIST pixels are 81% zeros, mostly
                  ;; the same border pixels in every image. The caller asks for it only when A
                  ;; is mostly zeros, where it pays for its test.
                  (if (local.get $skipZeros)
                    (then
                      (br_if $skip (i32.eqz (v128.any_true
                        (v128.and (v128.load (local.get $aPtr)) (i32x4.splat (i32.const 0x7fffffff))))))))
                  (local.set $b0 (v128.load (local.get $bPtr)))
                  (local.set $b1 (v128.load offset=16 (local.get $bPtr)))
                  (local.set $x (v128.load32_splat (local.get $aPtr)))
                  (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=4 (local.get $aPtr)))
                  (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=8 (local.get $aPtr)))
                  (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=12 (local.get $aPtr)))
                  (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                  )
                  (local.set $aPtr (i32.add (local.get $aPtr) (i32.const 16)))
                  (local.set $bPtr (i32.add (local.get $bPtr) (i32.const 32)))
                  (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                  (br_if $inner (local.get $p)))))
            (if (local.get $bias)
              (then
                (local.set $c00 (f32x4.add (local.get $c00) (local.get $bias0)))
                (local.set $c01 (f32x4.add (local.get $c01) (local.get $bias1)))
                (local.set $c10 (f32x4.add (local.get $c10) (local.get $bias0)))
                (local.set $c11 (f32x4.add (local.get $c11) (local.get $bias1)))
                (local.set $c20 (f32x4.add (local.get $c20) (local.get $bias0)))
                (local.set $c21 (f32x4.add (local.get $c21) (local.get $bias1)))
                (local.set $c30 (f32x4.add (local.get $c30) (local.get $bias0)))
                (local.set $c31 (f32x4.add (local.get $c31) (local.get $bias1)))))
            (if (local.get $relu)
              (then
                ;; f32x4.max propagates NaN, as relu's Math.max(0, x) does.
                (local.set $c00 (f32x4.max (local.get $c00) (local.get $zero)))
                (local.set $c01 (f32x4.max (local.get $c01) (local.get $zero)))
                (local.set $c10 (f32x4.max (local.get $c10) (local.get $zero)))
                (local.set $c11 (f32x4.max (local.get $c11) (local.get $zero)))
                (local.set $c20 (f32x4.max (local.get $c20) (local.get $zero)))
                (local.set $c21 (f32x4.max (local.get $c21) (local.get $zero)))
                (local.set $c30 (f32x4.max (local.get $c30) (local.get $zero)))
                (local.set $c31 (f32x4.max (local.get $c31) (local.get $zero)))))
            (local.set $cPtr (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $q) (i32.const 5)))))
            (v128.store (local.get $cPtr) (local.get $c00))
            (v128.store offset=16 (local.get $cPtr) (local.get $c01))
            (local.set $cPtr (i32.add (local.get $cPtr) (local.get $ldc)))
            (v128.store (local.get $cPtr) (local.get $c10))
            (v128.store offset=16 (local.get $cPtr) (local.get $c11))
            (local.set $cPtr (i32.add (local.get $cPtr) (local.get $ldc)))
            (v128.store (local.get $cPtr) (local.get $c20))
            (v128.store offset=16 (local.get $cPtr) (local.get $c21))
            (local.set $cPtr (i32.add (local.get $cPtr) (local.get $ldc)))
            (v128.store (local.get $cPtr) (local.get $c30))
            (v128.store offset=16 (local.get $cPtr) (local.get $c31))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $panels))))
  ;; Σ a(i)·b(i) over `count` floats at $a and $b (16-byte aligned), for products with a
  ;; single column (matrix × vector, and the dot product of two vectors): gemm would pad that
  ;; column to a panel of 8 and, for a single row, A to a block of 4, 32 products for 1. Each
  ;; block of $block floats (a multiple of 16) is summed in sixteen float32 lanes (four f32x4
  ;; accumulators over consecutive groups of 4), the lanes added in a fixed order and the
  ;; block's leftover (count mod 16) after them; the blocks' sums are added in float64, so the
  ;; error stays that of one block's short float32 chains however long the vectors are.
  (func (export "dot") (param $a i32) (param $b i32) (param $count i32) (param $block i32) (result f64)
    (local $total f64) (local $length i32) (local $vectorsEnd i32) (local $end i32) (local $sum f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.eqz (local.get $count)))
        (local.set $length (select (local.get $block) (local.get $count) (i32.lt_u (local.get $block) (local.get $count))))
        (local.set $end (i32.add (local.get $a) (i32.shl (local.get $length) (i32.const 2))))
        (local.set $vectorsEnd (i32.add (local.get $a) (i32.shl (i32.and (local.get $length) (i32.const -16)) (i32.const 2))))
        (local.set $s0 (v128.const i32x4 0 0 0 0)) (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0)) (local.set $s3 (v128.const i32x4 0 0 0 0))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $a) (local.get $vectorsEnd)))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
            (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
            (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
            (local.set $a (i32.add (local.get $a) (i32.const 64)))
            (local.set $b (i32.add (local.get $b) (i32.const 64)))
            (br $vectors)))
        (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
        (local.set $sum (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
          (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $a) (local.get $end)))
            (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
            (local.set $a (i32.add (local.get $a) (i32.const 4)))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $tail)))
        (local.set $total (f64.add (local.get $total) (f64.promote_f32 (local.get $sum))))
        (local.set $count (i32.sub (local.get $count) (local.get $length)))
        (br $blocks)))
    (local.get $total))

  ;; One Adam step in place over `count` floats (rounded up to 4: the arrays have room), all
  ;; in float32: m ← m + (g − m)·c1, v ← v + (g² − v)·c2, x ← x − alpha·m / (√v + epsilon),
  ;; with c1 = 1 − β1, c2 = 1 − β2 and alpha computed by the caller.
  ;; Without subnormals: the second moments of weights that seldom see a gradient (the wide
  ;; MLP's border pixels) fill up with them and made each epoch slower than the last (12.5,
  ;; 15.9, 17.7 s). TensorFlow's CPU kernels flush subnormals to zero for the same reason;
  ;; wasm cannot set that mode, so the kernel zeroes what would underflow. Moments below
  ;; 2^-100 change no step: √v < 2^-50 vanishes beside epsilon (1e-7) in float32, and at a
  ;; learning rate of 1e-3, alpha·m/epsilon < 2^-86 vanishes beside any weight above 2^-62.
  (func (export "adam")
    (param $x i32) (param $g i32) (param $m i32) (param $v i32) (param $count i32)
    (param $alpha f32) (param $c1 f32) (param $c2 f32) (param $epsilon f32)
    (local $at i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128) (local $gSquarable v128)
    (local $alphas v128) (local $c1s v128) (local $c2s v128) (local $epsilons v128)
    (local $squareFloor v128) (local $momentFloor v128)
    (local.set $squareFloor (f32x4.splat (f32.const 0x1p-63)))
    (local.set $momentFloor (f32x4.splat (f32.const 0x1p-100)))
    (local.set $alphas (f32x4.splat (local.get $alpha)))
    (local.set $c1s (f32x4.splat (local.get $c1)))
    (local.set $c2s (f32x4.splat (local.get $c2)))
    (local.set $epsilons (f32x4.splat (local.get $epsilon)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (block $done
      (loop $elements
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $mi (v128.load (i32.add (local.get $m) (local.get $at))))
        (local.set $vi (v128.load (i32.add (local.get $v) (local.get $at))))
        ;; Subnormal floats cost the CPU ~100 cycles per operation: |g| < 2^-63 counts as 0 when
        ;; squared (g² would be subnormal), and moments below 2^-100 become 0 (their next update
        ;; would make subnormals). andnot keeps NaN, whose comparisons are false.
        (local.set $gSquarable (v128.andnot (local.get $gi) (f32x4.lt (f32x4.abs (local.get $gi)) (local.get $squareFloor))))
        (local.set $mi (f32x4.add (local.get $mi)
          (f32x4.mul (f32x4.sub (local.get $gi) (local.get $mi)) (local.get $c1s))))
        (local.set $mi (v128.andnot (local.get $mi) (f32x4.lt (f32x4.abs (local.get $mi)) (local.get $momentFloor))))
        (local.set $vi (f32x4.add (local.get $vi)
          (f32x4.mul (f32x4.sub (f32x4.mul (local.get $gSquarable) (local.get $gSquarable)) (local.get $vi)) (local.get $c2s))))
        (local.set $vi (v128.andnot (local.get $vi) (f32x4.lt (local.get $vi) (local.get $momentFloor))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vi))
        (v128.store (i32.add (local.get $x) (local.get $at))
          (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at)))
            (f32x4.div (f32x4.mul (local.get $alphas) (local.get $mi))
              (f32x4.add (f32x4.sqrt (local.get $vi)) (local.get $epsilons)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $elements))))

  ;; out = a op b over `count` values, for flat operands: each moves $aStep / $bStep bytes per
  ;; vector of 4, 16 for a whole operand or 0 for one value (which the caller writes 4 times,
  ;; filling the vector). op 0–5 are add, sub, mul, div, maximum, minimum, giving floats; op
  ;; 6–11 are greater, greaterEqual, less, lessEqual, equal, notEqual, giving bool bytes 0/1.
  ;; float32 + − × ÷ round exactly as float64 rounded to float32 does; max/min propagate NaN
  ;; and order −0 below +0, as Math.max/min do; comparisons with NaN are false but for
  ;; notEqual. Whole vectors only: up to 3 values past `count` are read and written (the caller
  ;; leaves room). One loop per op, chosen once per call: choosing per vector, and whether each
  ;; operand moves, took 3.5× as long (10.5 against 3.0 µs for 16 K products).
  (func (export "binary")
    (param $op i32) (param $a i32) (param $aStep i32) (param $b i32) (param $bStep i32) (param $out i32) (param $count i32)
    (local $end i32) (local $ones v128)
    (local.set $end (i32.add (local.get $out)
      (i32.shl (local.get $count) (select (i32.const 0) (i32.const 2) (i32.ge_u (local.get $op) (i32.const 6))))))
    (local.set $ones (i32x4.splat (i32.const 1)))
    (block $done
      (block $ne (block $eq (block $le (block $lt (block $ge (block $gt (block $min (block $max (block $div (block $mul (block $sub (block $add
        (br_if $done (i32.eqz (local.get $count)))
        (br_table $add $sub $mul $div $max $min $gt $ge $lt $le $eq $ne (local.get $op)))
      (loop $adds
        (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $adds (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $subs
        (v128.store (local.get $out) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $subs (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $muls
        (v128.store (local.get $out) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $muls (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $divs
        (v128.store (local.get $out) (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $divs (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $maxs
        (v128.store (local.get $out) (f32x4.max (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $maxs (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $mins
        (v128.store (local.get $out) (f32x4.min (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $mins (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      ;; All-ones lanes → 1: keep the low byte of each lane and store the four bytes.
      (loop $gts
        (v128.store32_lane 0 (local.get $out) (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.and (f32x4.gt (v128.load (local.get $a)) (v128.load (local.get $b))) (local.get $ones)) (local.get $ones)))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $gts (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $ges
        (v128.store32_lane 0 (local.get $out) (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.and (f32x4.ge (v128.load (local.get $a)) (v128.load (local.get $b))) (local.get $ones)) (local.get $ones)))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $ges (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $lts
        (v128.store32_lane 0 (local.get $out) (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.and (f32x4.lt (v128.load (local.get $a)) (v128.load (local.get $b))) (local.get $ones)) (local.get $ones)))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $lts (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $les
        (v128.store32_lane 0 (local.get $out) (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.and (f32x4.le (v128.load (local.get $a)) (v128.load (local.get $b))) (local.get $ones)) (local.get $ones)))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $les (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $eqs
        (v128.store32_lane 0 (local.get $out) (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.and (f32x4.eq (v128.load (local.get $a)) (v128.load (local.get $b))) (local.get $ones)) (local.get $ones)))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $eqs (i32.lt_u (local.get $out) (local.get $end))))
      (br $done))
      (loop $nes
        (v128.store32_lane 0 (local.get $out) (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.and (f32x4.ne (v128.load (local.get $a)) (v128.load (local.get $b))) (local.get $ones)) (local.get $ones)))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $nes (i32.lt_u (local.get $out) (local.get $end))))))

  ;; Sigmoid (mode 0) or tanh (mode 1) in place over `count` floats (rounded up to 2: the
  ;; region has room), two at a time in float64 (f64x2), each rounded once to float32 on the
  ;; store: the float64 result is within ~1e-11 of the true value, so the float32 one is off by at
  ;; most half an ulp more than a correct rounding (and, in the subnormals sigmoid reaches below
  ;; x = −87, by their absolute ulp, as the naive kernel's rounding is). Both need e^t for
  ;; t = −|x| (sigmoid) or −2|x| (tanh), t ≤ 0, so nothing overflows:
  ;;   t = k·ln2 + r, |r| ≤ ln2/2, with k = nearest(t/ln2) and ln2 split in two (Cody–Waite:
  ;;       k·ln2hi is exact, and so is t − k·ln2hi). Adding 1.5·2^52 to t/ln2 rounds it to an
  ;;       integer, k, which then sits in the sum's low bits; shifted up into the exponent field
  ;;       with the bias, they make 2^k (the 1.5·2^52 drops off the top). Two operations, where
  ;;       f64x2.nearest and a conversion to integers made the kernel 20% slower;
  ;;   p = e^r − 1 by its Taylor series to r⁹ (remainder < 2e-11 of p for |r| ≤ ln2/2);
  ;;   a = 2^k·p + (2^k − c): e^t for sigmoid (c = 0), and e^t − 1 for tanh (c = 1), which keeps
  ;;       tanh's small results accurate: for |t| < ln2/2 (k = 0) it is p itself, with no
  ;;       cancellation in 1 − e^t.
  ;; t is clamped at −200 first: e^−200 makes sigmoid round to 0 or 1 and tanh to ±1 in float32,
  ;; and 2^k stays a normal float64 (pmax keeps a NaN t, which fails its comparison). Then
  ;;   sigmoid(x) = 1/(1 + e^t) for x ≥ 0, e^t/(1 + e^t) for x < 0 (t = −|x|: no overflow);
  ;;   tanh(x)    = sign(x)·(1 − e^t)/(1 + e^t) = copysign(−a/(2 + a), x).
  ;; NaN stays NaN, ±0 give 0.5 and ±0, ±∞ give 0, 1 and ±1.
  (func (export "sigmoidTanh") (param $mode i32) (param $x i32) (param $count i32)
    (local $end i32) (local $xs v128) (local $t v128) (local $k v128) (local $r v128) (local $p v128)
    (local $scale v128) (local $a v128) (local $shifted v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (i32.add (local.get $count) (i32.const 1)) (i32.const -2)) (i32.const 2))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $xs (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
        (local.set $t (f64x2.neg (f64x2.abs (local.get $xs))))
        (if (local.get $mode) (then (local.set $t (f64x2.add (local.get $t) (local.get $t)))))
        (local.set $t (f64x2.pmax (local.get $t) (v128.const f64x2 -200 -200)))
        (local.set $shifted (f64x2.add (f64x2.mul (local.get $t) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0)) (v128.const f64x2 0x1.8p52 0x1.8p52)))
        (local.set $k (f64x2.sub (local.get $shifted) (v128.const f64x2 0x1.8p52 0x1.8p52)))
        (local.set $r (f64x2.sub
          (f64x2.sub (local.get $t) (f64x2.mul (local.get $k) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
          (f64x2.mul (local.get $k) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
        (local.set $p (v128.const f64x2 0x1.71de3a556c734p-19 0x1.71de3a556c734p-19)) ;; 1/9!
        (local.set $p (f64x2.add (v128.const f64x2 0x1.a01a01a01a01ap-16 0x1.a01a01a01a01ap-16) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/8!
        (local.set $p (f64x2.add (v128.const f64x2 0x1.a01a01a01a01ap-13 0x1.a01a01a01a01ap-13) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/7!
        (local.set $p (f64x2.add (v128.const f64x2 0x1.6c16c16c16c17p-10 0x1.6c16c16c16c17p-10) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/6!
        (local.set $p (f64x2.add (v128.const f64x2 0x1.1111111111111p-7 0x1.1111111111111p-7) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/5!
        (local.set $p (f64x2.add (v128.const f64x2 0x1.5555555555555p-5 0x1.5555555555555p-5) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/4!
        (local.set $p (f64x2.add (v128.const f64x2 0x1.5555555555555p-3 0x1.5555555555555p-3) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/3!
        (local.set $p (f64x2.add (v128.const f64x2 0.5 0.5) (f64x2.mul (local.get $r) (local.get $p)))) ;; 1/2!
        (local.set $p (f64x2.add (local.get $r) (f64x2.mul (f64x2.mul (local.get $r) (local.get $r)) (local.get $p))))
        ;; 2^k: the biased exponent k + 1023, from the low bits of $shifted, in the exponent field.
        (local.set $scale (i64x2.shl
          (i64x2.add (local.get $shifted) (v128.const i64x2 1023 1023))
          (i32.const 52)))
        (if (local.get $mode)
          (then
            (local.set $a (f64x2.add (f64x2.mul (local.get $scale) (local.get $p)) (f64x2.sub (local.get $scale) (v128.const f64x2 1 1))))
            (v128.store64_lane 0 (local.get $x) (f32x4.demote_f64x2_zero (v128.bitselect
              (local.get $xs)
              (f64x2.div (f64x2.neg (local.get $a)) (f64x2.add (local.get $a) (v128.const f64x2 2 2)))
              (v128.const i64x2 0x8000000000000000 0x8000000000000000)))))
          (else
            (local.set $a (f64x2.add (f64x2.mul (local.get $scale) (local.get $p)) (local.get $scale)))
            (v128.store64_lane 0 (local.get $x) (f32x4.demote_f64x2_zero (f64x2.div
              (v128.bitselect (local.get $a) (v128.const f64x2 1 1) (f64x2.lt (local.get $xs) (v128.const f64x2 0 0)))
              (f64x2.add (local.get $a) (v128.const f64x2 1 1)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $pairs))))

  ;; Column sums of a rows × cols float32 matrix (rows cols·4 bytes apart) in float64: for each
  ;; row r in increasing order, sums[c] += x[r, c], the value widened exactly. A bias gradient
  ;; is one: a channels-last gradient summed over all axes but its channels, where a JavaScript
  ;; loop's load, add and store of a Float64Array element per value took 0.64 ms for the demo
  ;; CNN's [32, 26, 26, 8]. $sums holds cols float64 (8-byte aligned) and is added to as the
  ;; caller left it, so a long matrix can come in chunks of rows. Two columns to a vector
  ;; (f64x2), an odd last one alone: every column gets a scalar loop's additions in its order.
  (func (export "sumColumns") (param $x i32) (param $rows i32) (param $cols i32) (param $sums i32)
    (local $end i32) (local $pairsEnd i32) (local $to i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (local.set $pairsEnd (i32.add (local.get $sums) (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3))))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $to (local.get $sums))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $to) (local.get $pairsEnd)))
            (v128.store (local.get $to)
              (f64x2.add (v128.load (local.get $to)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x)))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (local.set $to (i32.add (local.get $to) (i32.const 16)))
            (br $pairs)))
        (if (i32.and (local.get $cols) (i32.const 1))
          (then
            (f64.store (local.get $to) (f64.add (f64.load (local.get $to)) (f64.promote_f32 (f32.load (local.get $x)))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))))
        (br $rowLoop))))

  ;; A 2-D convolution over channels-last images by direct loops over the filter's taps (no
  ;; im2col copy). For every output position (b, oy, ox), every tap (i, j) whose input position
  ;; (oy·strideHeight + i·dilationHeight − padTop, ox·strideWidth + j·dilationWidth − padLeft)
  ;; lies in the image, and every input channel c, one update over the output channels, which the
  ;; caller pads with zeros to $panels panels of 8 (two f32x4 vectors, as gemm's panels of B):
  ;;   mode 0 (the convolution):   y[b,oy,ox,:]      += x[b,y,x,c] · filter[i,j,c,:]
  ;;   mode 1 (filter gradient):   dfilter[i,j,c,:]  += x[b,y,x,c] · dy[b,oy,ox,:]
  ;;   mode 2 (input gradient):    dx[b,y,x,c]       += Σ dy[b,oy,ox,:] · filter[i,j,c,:]
  ;; $x is x (modes 0, 1) or dx (mode 2), [batch, inHeight, inWidth, inChannels]; $taps the filter
  ;; (modes 0, 2) or dfilter (mode 1), [filterHeight, filterWidth, inChannels, panels·8];
  ;; $pixels y (mode 0) or dy (modes 1, 2), [batch, outHeight, outWidth, panels·8]. Mode 0
  ;; zeroes the output first; modes 1 and 2 add to what the caller left there (zeros).
  ;; The innermost loop runs along an output row, over the columns whose tap (i, j) falls in the
  ;; image, for one tap, input channel and panel: the per-tap work (where the tap is, which
  ;; columns it reaches) is done once per row rather than per position, and the tap's two vectors
  ;; stay in locals (mode 1 adds into them there instead of into memory, a dependency chain
  ;; through a store and a load at every column). With one input channel, where that work weighs
  ;; most, it halved the demo CNN's first convolution (1.26 → 0.61 ms for [32,28,28,1] by a 3×3
  ;; filter to 8 channels) against a loop over output positions. Sums are float32.
  ;; With $skipZeros, modes 0 and 1 skip x values of ±0, as gemm skips zero blocks of A (MNIST
  ;; images are 81% zeros); the caller asks only when the other operand is finite (0·∞ is NaN).
  (func (export "conv2d")
    (param $mode i32) (param $x i32) (param $taps i32) (param $pixels i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $inChannels i32)
    (param $outHeight i32) (param $outWidth i32) (param $panels i32)
    (param $filterHeight i32) (param $filterWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $dilationHeight i32) (param $dilationWidth i32)
    (param $padTop i32) (param $padLeft i32) (param $skipZeros i32)
    (local $b i32) (local $oy i32) (local $i i32) (local $j i32) (local $c i32) (local $q i32) (local $v i32)
    (local $y i32) (local $reach i32) (local $first i32) (local $end i32)
    (local $pixelBytes i32) (local $rowBytes i32) (local $rowPixels i32) (local $pixel i32) (local $pixelEnd i32)
    (local $xRow i32) (local $xStart i32) (local $xPtr i32) (local $xStep i32) (local $tapPtr i32)
    (local $value f32) (local $s v128) (local $t0 v128) (local $t1 v128) (local $sum v128)
    (local.set $pixelBytes (i32.shl (local.get $panels) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $outWidth) (local.get $pixelBytes)))
    (local.set $xStep (i32.shl (i32.mul (local.get $strideWidth) (local.get $inChannels)) (i32.const 2)))
    (local.set $rowPixels (local.get $pixels))
    (block $imagesDone
      (loop $images
        (br_if $imagesDone (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $oy (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $oy) (local.get $outHeight)))
            (if (i32.eqz (local.get $mode))
              (then
                (local.set $v (i32.const 0))
                (block $zeroed
                  (loop $zero
                    (br_if $zeroed (i32.ge_u (local.get $v) (local.get $rowBytes)))
                    (v128.store (i32.add (local.get $rowPixels) (local.get $v)) (v128.const i32x4 0 0 0 0))
                    (local.set $v (i32.add (local.get $v) (i32.const 16)))
                    (br $zero)))))
            (local.set $i (i32.const 0))
            (block $tapRowsDone
              (loop $tapRows
                (br_if $tapRowsDone (i32.ge_u (local.get $i) (local.get $filterHeight)))
                (local.set $y (i32.sub
                  (i32.add (i32.mul (local.get $oy) (local.get $strideHeight)) (i32.mul (local.get $i) (local.get $dilationHeight)))
                  (local.get $padTop)))
                ;; Unsigned: a row above the image (negative) is out of range like one below it.
                (if (i32.lt_u (local.get $y) (local.get $inHeight))
                  (then
                    (local.set $xRow (i32.add (local.get $x) (i32.shl (i32.mul
                      (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inHeight)) (local.get $y)) (local.get $inWidth))
                      (local.get $inChannels)) (i32.const 2))))
                    (local.set $j (i32.const 0))
                    (block $tapsDone
                      (loop $tapCols
                        (br_if $tapsDone (i32.ge_u (local.get $j) (local.get $filterWidth)))
                        ;; The output columns first ≤ ox < end whose tap j reads inside the image:
                        ;; ox·strideWidth ≥ padLeft − j·dilationWidth, and ≤ inWidth − 1 + that.
                        (local.set $reach (i32.sub (local.get $padLeft) (i32.mul (local.get $j) (local.get $dilationWidth))))
                        (local.set $first (select
                          (i32.div_u (i32.sub (i32.add (local.get $reach) (local.get $strideWidth)) (i32.const 1)) (local.get $strideWidth))
                          (i32.const 0)
                          (i32.gt_s (local.get $reach) (i32.const 0))))
                        (local.set $reach (i32.add (local.get $reach) (i32.sub (local.get $inWidth) (i32.const 1))))
                        (local.set $end (select
                          (i32.const 0)
                          (i32.add (i32.div_u (local.get $reach) (local.get $strideWidth)) (i32.const 1))
                          (i32.lt_s (local.get $reach) (i32.const 0))))
                        (if (i32.gt_u (local.get $end) (local.get $outWidth)) (then (local.set $end (local.get $outWidth))))
                        (local.set $c (i32.const 0))
                        (block $channelsDone
                          (loop $channels
                            (br_if $channelsDone (i32.ge_u (local.get $first) (local.get $end)))
                            (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $inChannels)))
                            (local.set $xStart (i32.add (local.get $xRow) (i32.shl
                              (i32.add (i32.mul
                                (i32.sub (i32.add (i32.mul (local.get $first) (local.get $strideWidth)) (i32.mul (local.get $j) (local.get $dilationWidth))) (local.get $padLeft))
                                (local.get $inChannels)) (local.get $c))
                              (i32.const 2))))
                            (local.set $q (i32.const 0))
                            (block $panelsDone
                              (loop $panelLoop
                                (br_if $panelsDone (i32.ge_u (local.get $q) (local.get $panels)))
                                (local.set $tapPtr (i32.add (i32.add (local.get $taps) (i32.mul
                                  (i32.add (i32.mul (i32.add (i32.mul (local.get $i) (local.get $filterWidth)) (local.get $j)) (local.get $inChannels)) (local.get $c))
                                  (local.get $pixelBytes))) (i32.shl (local.get $q) (i32.const 5))))
                                (local.set $t0 (v128.load (local.get $tapPtr)))
                                (local.set $t1 (v128.load offset=16 (local.get $tapPtr)))
                                (local.set $xPtr (local.get $xStart))
                                (local.set $pixel (i32.add (i32.add (local.get $rowPixels) (i32.mul (local.get $first) (local.get $pixelBytes))) (i32.shl (local.get $q) (i32.const 5))))
                                (local.set $pixelEnd (i32.add (i32.add (local.get $rowPixels) (i32.mul (local.get $end) (local.get $pixelBytes))) (i32.shl (local.get $q) (i32.const 5))))
                                (block $columnsDone
                                  (block $mode2
                                    (block $mode1
                                      (block $mode0
                                        (br_table $mode0 $mode1 $mode2 (local.get $mode)))
                                      ;; y[pixel] += x · tap
                                      (loop $columns0
                                        (br_if $columnsDone (i32.ge_u (local.get $pixel) (local.get $pixelEnd)))
                                        (local.set $value (f32.load (local.get $xPtr)))
                                        (if (i32.eqz (i32.and (local.get $skipZeros) (f32.eq (local.get $value) (f32.const 0))))
                                          (then
                                            (local.set $s (f32x4.splat (local.get $value)))
                                            (v128.store (local.get $pixel) (f32x4.add (v128.load (local.get $pixel)) (f32x4.mul (local.get $s) (local.get $t0))))
                                            (v128.store offset=16 (local.get $pixel) (f32x4.add (v128.load offset=16 (local.get $pixel)) (f32x4.mul (local.get $s) (local.get $t1))))))
                                        (local.set $xPtr (i32.add (local.get $xPtr) (local.get $xStep)))
                                        (local.set $pixel (i32.add (local.get $pixel) (local.get $pixelBytes)))
                                        (br $columns0)))
                                    ;; tap += x · dy[pixel], in the locals until the row is done
                                    (loop $columns1
                                      (if (i32.lt_u (local.get $pixel) (local.get $pixelEnd))
                                        (then
                                          (local.set $value (f32.load (local.get $xPtr)))
                                          (if (i32.eqz (i32.and (local.get $skipZeros) (f32.eq (local.get $value) (f32.const 0))))
                                            (then
                                              (local.set $s (f32x4.splat (local.get $value)))
                                              (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $pixel)))))
                                              (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pixel)))))))
                                          (local.set $xPtr (i32.add (local.get $xPtr) (local.get $xStep)))
                                          (local.set $pixel (i32.add (local.get $pixel) (local.get $pixelBytes)))
                                          (br $columns1))))
                                    (v128.store (local.get $tapPtr) (local.get $t0))
                                    (v128.store offset=16 (local.get $tapPtr) (local.get $t1))
                                    (br $columnsDone))
                                  ;; dx += dy[pixel] · tap, this panel's share
                                  (loop $columns2
                                    (br_if $columnsDone (i32.ge_u (local.get $pixel) (local.get $pixelEnd)))
                                    (local.set $sum (f32x4.add
                                      (f32x4.mul (v128.load (local.get $pixel)) (local.get $t0))
                                      (f32x4.mul (v128.load offset=16 (local.get $pixel)) (local.get $t1))))
                                    (f32.store (local.get $xPtr) (f32.add (f32.load (local.get $xPtr)) (f32.add
                                      (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
                                      (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum))))))
                                    (local.set $xPtr (i32.add (local.get $xPtr) (local.get $xStep)))
                                    (local.set $pixel (i32.add (local.get $pixel) (local.get $pixelBytes)))
                                    (br $columns2)))
                                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                                (br $panelLoop)))
                            (local.set $c (i32.add (local.get $c) (i32.const 1)))
                            (br $channels)))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $tapCols)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $tapRows)))
            (local.set $rowPixels (i32.add (local.get $rowPixels) (local.get $rowBytes)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images))))

  ;; Max and average pooling over channels-last images and their gradients, by direct loops over
  ;; each window's taps inside the image, four channels to a vector (the caller pads the channels
  ;; with zeros to $vectors vectors). For every output position (b, oy, ox), the window holds the
  ;; rows [y0, y1) and columns [x0, x1) of oy·strideHeight − padTop + i (i < windowHeight) and
  ;; ox·strideWidth − padLeft + j (j < windowWidth) that lie inside the image, count of them; for
  ;; every vector of channels:
  ;;   mode 0 (max pooling):        y[b,oy,ox,:]  = the largest x[b,y,x,:] of the window
  ;;   mode 1 (average pooling):    y[b,oy,ox,:]  = Σ x[b,y,x,:] over the window / count
  ;;   mode 2 (max's gradient):     dx[b,y,x,:]  += dy[b,oy,ox,:], per lane at the first tap
  ;;                                                (row-major) that holds the window's largest value
  ;;   mode 3 (average's gradient): dx[b,y,x,:]  += dy[b,oy,ox,:] / count at every tap
  ;; $images is x (modes 0–2) or dx (mode 3), [batch, inHeight, inWidth, vectors·4]; $pixels is y
  ;; (modes 0, 1) or dy (modes 2, 3), [batch, outHeight, outWidth, vectors·4]; mode 2 adds into dx
  ;; at $gradients, laid out as x. Modes 2 and 3 add to what the caller left there (zeros). Max
  ;; propagates NaN (f32x4.max), as Math.max; mode 2 picks a NaN only as a window's first tap.
  ;; Sums are float32.
  (func (export "pool2d")
    (param $mode i32) (param $images i32) (param $gradients i32) (param $pixels i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $vectors i32)
    (param $outHeight i32) (param $outWidth i32) (param $windowHeight i32) (param $windowWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $v i32) (local $r i32)
    (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32)
    (local $pixelBytes i32) (local $out i32) (local $tap i32) (local $tapEnd i32) (local $at i32)
    (local $count f32) (local $acc v128) (local $value v128) (local $picked v128) (local $greater v128)
    (local.set $pixelBytes (i32.shl (local.get $vectors) (i32.const 4)))
    (local.set $out (local.get $pixels))
    (block $imagesDone
      (loop $images
        (br_if $imagesDone (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $oy (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $oy) (local.get $outHeight)))
            ;; The window's rows inside the image (signed: the first may lie in the padding above).
            (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $strideHeight)) (local.get $padTop)))
            (local.set $y1 (i32.add (local.get $y0) (local.get $windowHeight)))
            (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (i32.const 0))))
            (if (i32.gt_s (local.get $y1) (local.get $inHeight)) (then (local.set $y1 (local.get $inHeight))))
            (local.set $ox (i32.const 0))
            (block $columnsDone
              (loop $columns
                (br_if $columnsDone (i32.ge_u (local.get $ox) (local.get $outWidth)))
                (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $strideWidth)) (local.get $padLeft)))
                (local.set $x1 (i32.add (local.get $x0) (local.get $windowWidth)))
                (if (i32.lt_s (local.get $x0) (i32.const 0)) (then (local.set $x0 (i32.const 0))))
                (if (i32.gt_s (local.get $x1) (local.get $inWidth)) (then (local.set $x1 (local.get $inWidth))))
                (local.set $count (f32.convert_i32_u (i32.mul (i32.sub (local.get $y1) (local.get $y0)) (i32.sub (local.get $x1) (local.get $x0)))))
                (local.set $v (i32.const 0))
                (block $vectorsDone
                  (loop $vectorLoop
                    (br_if $vectorsDone (i32.ge_u (local.get $v) (local.get $vectors)))
                    ;; The vector's address in the window's first tap, (y0, x0).
                    (local.set $at (i32.add (i32.add (local.get $images) (i32.shl (local.get $v) (i32.const 4)))
                      (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inHeight)) (local.get $y0)) (local.get $inWidth)) (local.get $x0))
                        (local.get $pixelBytes))))
                    (local.set $acc (select (result v128) (v128.const f32x4 -inf -inf -inf -inf) (v128.const f32x4 0 0 0 0) (i32.eqz (local.get $mode))))
                    (if (i32.eq (local.get $mode) (i32.const 2))
                      (then
                        (local.set $acc (v128.load (local.get $at)))
                        (local.set $picked (i32x4.add (i32x4.splat (local.get $at)) (v128.const i32x4 0 4 8 12)))))
                    (if (i32.eq (local.get $mode) (i32.const 3))
                      (then (local.set $acc (f32x4.div (v128.load (local.get $out)) (f32x4.splat (local.get $count))))))
                    (local.set $r (local.get $y0))
                    (block $tapRowsDone
                      (loop $tapRows
                        (br_if $tapRowsDone (i32.ge_u (local.get $r) (local.get $y1)))
                        (local.set $tap (local.get $at))
                        (local.set $tapEnd (i32.add (local.get $at) (i32.mul (i32.sub (local.get $x1) (local.get $x0)) (local.get $pixelBytes))))
                        (block $tapsDone
                          (loop $taps
                            (br_if $tapsDone (i32.ge_u (local.get $tap) (local.get $tapEnd)))
                            (block $next
                              (block $share (block $pick (block $sum (block $max
                                (br_table $max $sum $pick $share (local.get $mode)))
                                (local.set $acc (f32x4.max (local.get $acc) (v128.load (local.get $tap))))
                                (br $next))
                                (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $tap))))
                                (br $next))
                                ;; Strictly greater: a tie keeps the earlier tap.
                                (local.set $value (v128.load (local.get $tap)))
                                (local.set $greater (f32x4.gt (local.get $value) (local.get $acc)))
                                (local.set $acc (v128.bitselect (local.get $value) (local.get $acc) (local.get $greater)))
                                (local.set $picked (v128.bitselect
                                  (i32x4.add (i32x4.splat (local.get $tap)) (v128.const i32x4 0 4 8 12)) (local.get $picked) (local.get $greater)))
                                (br $next))
                              (v128.store (local.get $tap) (f32x4.add (v128.load (local.get $tap)) (local.get $acc))))
                            (local.set $tap (i32.add (local.get $tap) (local.get $pixelBytes)))
                            (br $taps)))
                        (local.set $at (i32.add (local.get $at) (i32.mul (local.get $inWidth) (local.get $pixelBytes))))
                        (local.set $r (i32.add (local.get $r) (i32.const 1)))
                        (br $tapRows)))
                    (block $finished
                      (block $scatter (block $mean (block $largest
                        (br_table $largest $mean $scatter $finished (local.get $mode)))
                        (v128.store (local.get $out) (local.get $acc))
                        (br $finished))
                        (v128.store (local.get $out) (f32x4.div (local.get $acc) (f32x4.splat (local.get $count))))
                        (br $finished))
                      ;; Each lane's dy into dx at the address its lane picked in x, moved to dx.
                      (local.set $value (v128.load (local.get $out)))
                      (local.set $picked (i32x4.add (local.get $picked) (i32x4.splat (i32.sub (local.get $gradients) (local.get $images)))))
                      (local.set $at (i32x4.extract_lane 0 (local.get $picked)))
                      (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 0 (local.get $value))))
                      (local.set $at (i32x4.extract_lane 1 (local.get $picked)))
                      (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 1 (local.get $value))))
                      (local.set $at (i32x4.extract_lane 2 (local.get $picked)))
                      (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 2 (local.get $value))))
                      (local.set $at (i32x4.extract_lane 3 (local.get $picked)))
                      (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 3 (local.get $value)))))
                    (local.set $out (i32.add (local.get $out) (i32.const 16)))
                    (local.set $v (i32.add (local.get $v) (i32.const 1)))
                    (br $vectorLoop)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $columns)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images))))

  ;; The taps [first, end) of a filter row or column whose input positions start + t·dilation
  ;; (t < taps) lie in [0, size): none (first ≥ end) when the window lies wholly outside. It
  ;; divides only where the window sticks out of the image.
  (func $insideTaps (param $start i32) (param $taps i32) (param $dilation i32) (param $size i32) (result i32 i32)
    (local $first i32) (local $end i32) (local $room i32)
    (local.set $end (local.get $taps))
    (if (i32.lt_s (local.get $start) (i32.const 0))
      (then (local.set $first (i32.div_u
        (i32.sub (i32.sub (local.get $dilation) (local.get $start)) (i32.const 1)) (local.get $dilation)))))
    ;; The room from start to the image's last position: the taps at most that far reach inside.
    (local.set $room (i32.sub (i32.sub (local.get $size) (i32.const 1)) (local.get $start)))
    (if (i32.gt_s (i32.mul (i32.sub (local.get $taps) (i32.const 1)) (local.get $dilation)) (local.get $room))
      (then (local.set $end (select
        (i32.add (i32.div_u (local.get $room) (local.get $dilation)) (i32.const 1))
        (i32.const 0)
        (i32.ge_s (local.get $room) (i32.const 0))))))
    (local.get $first) (local.get $end))

  ;; The depthwise convolution and its two gradients over channels-last images, walked as pool2d
  ;; walks its windows (per output position, per vector of 4 channels, per tap inside the image)
  ;; with a weight per tap and channel. The channels are the output channels: the caller lays out
  ;; input channel c once for each of its outputs c·M + m, and pads them with zeros to $vectors
  ;; vectors, so that each lane reads its own channel alone. For every output position
  ;; (b, oy, ox), every tap (i, j) whose input position (y, x) = (oy·strideHeight +
  ;; i·dilationHeight − padTop, ox·strideWidth + j·dilationWidth − padLeft) lies in the image:
  ;;   mode 0 (the convolution):   y[b,oy,ox,:]     = Σ x[b,y,x,:] · filter[i,j,:]
  ;;   mode 1 (input gradient):    dx[b,y,x,:]     += dy[b,oy,ox,:] · filter[i,j,:]
  ;;   mode 2 (filter gradient):   dfilter[i,j,:]  += x[b,y,x,:] · dy[b,oy,ox,:]
  ;; $images is x (modes 0, 2) or dx (mode 1), [batch, inHeight, inWidth, vectors·4]; $taps the
  ;; filter (modes 0, 1) or dfilter (mode 2), [filterHeight, filterWidth, vectors·4]; $pixels y
  ;; (mode 0) or dy (modes 1, 2), [batch, outHeight, outWidth, vectors·4]. Modes 1 and 2 add to
  ;; what the caller left there (zeros). The taps inside the image are found once per output
  ;; position, so the walk over them tests none. Sums are float32.
  (func (export "depthwiseConv2d")
    (param $mode i32) (param $images i32) (param $taps i32) (param $pixels i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $vectors i32)
    (param $outHeight i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $dilationHeight i32) (param $dilationWidth i32)
    (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $v i32) (local $i i32)
    (local $y0 i32) (local $x0 i32) (local $iFirst i32) (local $iEnd i32) (local $jFirst i32) (local $jEnd i32)
    (local $pixelBytes i32) (local $rowStep i32) (local $columnStep i32) (local $tapRowBytes i32)
    (local $out i32) (local $first i32) (local $firstTap i32) (local $at i32) (local $tap i32) (local $tapEnd i32)
    ;; The output position's vector: the sum so far (mode 0), or dy (modes 1, 2).
    (local $pixel v128)
    (local.set $pixelBytes (i32.shl (local.get $vectors) (i32.const 4)))
    (local.set $rowStep (i32.mul (i32.mul (local.get $dilationHeight) (local.get $inWidth)) (local.get $pixelBytes)))
    (local.set $columnStep (i32.mul (local.get $dilationWidth) (local.get $pixelBytes)))
    (local.set $tapRowBytes (i32.mul (local.get $filterWidth) (local.get $pixelBytes)))
    (local.set $out (local.get $pixels))
    (block $imagesDone
      (loop $imageLoop
        (br_if $imagesDone (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $oy (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $oy) (local.get $outHeight)))
            (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $strideHeight)) (local.get $padTop)))
            (call $insideTaps (local.get $y0) (local.get $filterHeight) (local.get $dilationHeight) (local.get $inHeight))
            (local.set $iEnd)
            (local.set $iFirst)
            (local.set $ox (i32.const 0))
            (block $columnsDone
              (loop $columns
                (br_if $columnsDone (i32.ge_u (local.get $ox) (local.get $outWidth)))
                (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $strideWidth)) (local.get $padLeft)))
                (call $insideTaps (local.get $x0) (local.get $filterWidth) (local.get $dilationWidth) (local.get $inWidth))
                (local.set $jEnd)
                (local.set $jFirst)
                ;; Vector 0 of the first tap inside, (iFirst, jFirst), in the image and in the filter.
                (local.set $first (i32.add (local.get $images) (i32.mul (local.get $pixelBytes) (i32.add
                  (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inHeight))
                    (i32.add (local.get $y0) (i32.mul (local.get $iFirst) (local.get $dilationHeight)))) (local.get $inWidth))
                  (i32.add (local.get $x0) (i32.mul (local.get $jFirst) (local.get $dilationWidth)))))))
                (local.set $firstTap (i32.add (local.get $taps) (i32.mul (local.get $pixelBytes)
                  (i32.add (i32.mul (local.get $iFirst) (local.get $filterWidth)) (local.get $jFirst)))))
                (local.set $v (i32.const 0))
                (block $vectorsDone
                  (loop $vectorLoop
                    (br_if $vectorsDone (i32.ge_u (local.get $v) (local.get $vectors)))
                    (local.set $pixel (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load (local.get $out)) (i32.eqz (local.get $mode))))
                    (local.set $at (local.get $first))
                    (local.set $tap (local.get $firstTap))
                    (local.set $i (local.get $iFirst))
                    (block $tapRowsDone
                      (loop $tapRows
                        (br_if $tapRowsDone (i32.ge_u (local.get $i) (local.get $iEnd)))
                        ;; Tap (i, jEnd): no further than the tap itself when no column is inside.
                        (local.set $tapEnd (i32.add (local.get $tap) (i32.mul (i32.sub (local.get $jEnd) (local.get $jFirst)) (local.get $pixelBytes))))
                        (block $tapsDone
                          (loop $tapLoop
                            (br_if $tapsDone (i32.ge_u (local.get $tap) (local.get $tapEnd)))
                            (block $next
                              (block $filterGradient (block $inputGradient (block $forward
                                (br_table $forward $inputGradient $filterGradient (local.get $mode)))
                                (local.set $pixel (f32x4.add (local.get $pixel) (f32x4.mul (v128.load (local.get $at)) (v128.load (local.get $tap)))))
                                (br $next))
                                (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at)) (f32x4.mul (local.get $pixel) (v128.load (local.get $tap)))))
                                (br $next))
                              (v128.store (local.get $tap) (f32x4.add (v128.load (local.get $tap)) (f32x4.mul (v128.load (local.get $at)) (local.get $pixel)))))
                            (local.set $at (i32.add (local.get $at) (local.get $columnStep)))
                            (local.set $tap (i32.add (local.get $tap) (local.get $pixelBytes)))
                            (br $tapLoop)))
                        ;; The next tap row's first column inside, in the image and in the filter.
                        (local.set $at (i32.add (local.get $at) (i32.sub (local.get $rowStep)
                          (i32.mul (i32.sub (local.get $jEnd) (local.get $jFirst)) (local.get $columnStep)))))
                        (local.set $tap (i32.add (local.get $tap) (i32.sub (local.get $tapRowBytes)
                          (i32.mul (i32.sub (local.get $jEnd) (local.get $jFirst)) (local.get $pixelBytes)))))
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (br $tapRows)))
                    (if (i32.eqz (local.get $mode)) (then (v128.store (local.get $out) (local.get $pixel))))
                    (local.set $first (i32.add (local.get $first) (i32.const 16)))
                    (local.set $firstTap (i32.add (local.get $firstTap) (i32.const 16)))
                    (local.set $out (i32.add (local.get $out) (i32.const 16)))
                    (local.set $v (i32.add (local.get $v) (i32.const 1)))
                    (br $vectorLoop)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $columns)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $imageLoop))))
)
