import { foldBatchNorm, sliceBatchNorm, sliceConvInputs, type LayerEmitter } from "./layer-emitter";
import type { DenseLayerWeights, DenseNetWeights } from "./weights";

// One dense block. Layer l computes conv2(relu(norm2(conv1(relu(norm1(concat(x0..x_{l-1}))))))).
//
// Written literally, every layer concatenates all earlier outputs again: the copies grow with the
// square of the block length, and onnxruntime's Concat is a single-threaded memcpy, so on two cores
// it becomes the serial part of the run. Because norm1 and ReLU act per channel and conv1 is 1x1,
// conv1 over a concatenation equals the sum of conv1's input-channel slices over its parts:
//   conv1(relu(norm1([B, R]))) = conv1[:, B](relu(norm1[B](B))) + conv1[:, R](relu(norm1[R](R)))
// So the graph keeps a materialised "base" B of older outputs, rebuilt only every GROUP layers, plus
// the few "recent" outputs R concatenated since. The second convolution's Add is fused by onnxruntime
// into the first (NCHWc Conv with a Sum input). The result is exact up to float32 summation order.

/** Layers between rebuilds of the base concatenation; 4 measured fastest here among 2 to 8. */
export const CONCAT_GROUP = 4;

function simpleLayer(e: LayerEmitter, input: string, layer: DenseLayerWeights, p: string): string {
  let h = e.relu(e.batchNorm(input, layer.norm1, `${p}.norm1`));
  h = e.relu(e.convBn(h, layer.conv1, layer.norm2, `${p}.conv1`));
  return e.conv(h, layer.conv2, `${p}.conv2`, 1, 1);
}

/** conv1 over [base, recent] as two convolutions whose sum onnxruntime fuses; norm2 folded in. */
function splitLayer(e: LayerEmitter, base: string, baseChannels: number, recent: string, layer: DenseLayerWeights, p: string): string {
  const inChannels = layer.norm1.weight.length;
  const out = layer.conv1.shape[0];
  const folded = foldBatchNorm(layer.conv1, layer.norm2);
  // Emitted in this order (normalise base, convolve it, then the recent part) so each normalised
  // tensor is consumed while it is still in cache.
  const a = e.relu(e.batchNorm(base, sliceBatchNorm(layer.norm1, 0, baseChannels), `${p}.norm1.base`));
  const fromBase = e.conv(a, sliceConvInputs(folded.weight, out, inChannels, 0, baseChannels), `${p}.conv1.base`);
  const b = e.relu(e.batchNorm(recent, sliceBatchNorm(layer.norm1, baseChannels, inChannels), `${p}.norm1.recent`));
  const fromRecent = e.conv(b, sliceConvInputs(folded.weight, out, inChannels, baseChannels, inChannels), `${p}.conv1.recent`, 1, 0, folded.bias);
  const h = e.relu(e.g.op("Add", [fromRecent, fromBase], {}, `${p}.conv1`));
  return e.conv(h, layer.conv2, `${p}.conv2`, 1, 1);
}

export function emitDenseBlock(
  e: LayerEmitter,
  x: string,
  block: DenseNetWeights["blocks"][number],
  name: string,
  growth: number,
  concatGroup = CONCAT_GROUP,
): string {
  // Calibrate mode needs each norm1 whole (its statistics are one output), so it keeps the literal form.
  const group = e.mode === "inference" ? concatGroup : Number.POSITIVE_INFINITY;
  let base = x;
  let baseChannels = block.layers[0]?.norm1.weight.length ?? 0;
  let recent: string[] = [];
  block.layers.forEach((layer, li) => {
    const p = `${name}.denselayer${li + 1}`;
    if (recent.length === 0 || group === Number.POSITIVE_INFINITY) {
      recent.push(simpleLayer(e, e.concat([base, ...recent], `${p}.input`), layer, p));
    } else {
      recent.push(splitLayer(e, base, baseChannels, e.concat(recent, `${p}.recent`), layer, p));
    }
    if (recent.length >= group) {
      base = e.concat([base, ...recent], `${p}.base`);
      baseChannels += recent.length * growth;
      recent = [];
    }
  });
  return e.concat([base, ...recent], name);
}
