import { ModelError } from "@/lib/inference/errors";
import type { Tensor } from "../checkpoint/tensor-data";
import type { BatchNormWeights, ConvWeights } from "../densenet/weights";

// Shape-checked access to a state_dict's tensors for the release-zoo readers (ResNet, PSPNet): a missing
// tensor or a wrong shape is a clear MODEL_ARCHITECTURE error naming the tensor, before any graph is built.

const DEFAULT_EPS = 1e-5;

export class TensorReader {
  constructor(
    private readonly tensors: Map<string, Tensor>,
    private readonly what: string,
  ) {}

  error(message: string): ModelError {
    return new ModelError("MODEL_ARCHITECTURE", `not a ${this.what} checkpoint: ${message}`);
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  get(name: string, shape?: number[]): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw this.error(`tensor "${name}" is missing`);
    if (shape && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
      throw this.error(`tensor "${name}" has shape [${t.shape}] where [${shape}] was expected`);
    }
    return t;
  }

  /** A 4-d convolution weight; `inChannels`/`out` checked when given. */
  conv(name: string, out?: number, inChannels?: number, k?: number): ConvWeights {
    const t = this.get(name);
    if (t.shape.length !== 4) throw this.error(`tensor "${name}" is not a convolution weight (shape [${t.shape}])`);
    const [o, i, kh, kw] = t.shape;
    if ((out !== undefined && o !== out) || (inChannels !== undefined && i !== inChannels) || (k !== undefined && (kh !== k || kw !== k))) {
      throw this.error(`tensor "${name}" has shape [${t.shape}] where [${out ?? "?"}, ${inChannels ?? "?"}, ${k ?? "?"}, ${k ?? "?"}] was expected`);
    }
    return { shape: [o, i, kh, kw], weight: t.data };
  }

  bn(prefix: string, channels: number): BatchNormWeights {
    return {
      weight: this.get(`${prefix}.weight`, [channels]).data,
      bias: this.get(`${prefix}.bias`, [channels]).data,
      mean: this.get(`${prefix}.running_mean`, [channels]).data,
      variance: this.get(`${prefix}.running_var`, [channels]).data,
      eps: DEFAULT_EPS,
    };
  }
}
