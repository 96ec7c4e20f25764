import type * as tfType from '@tensorflow/tfjs';

/** Configuration of the per-feature expansion layer. */
export interface PerFeatureExpansionArgs {
  readonly units: number;
  readonly seed: number;
  readonly name?: string;
}

/**
 * Defines and registers (once per `tf` instance) the layer of the reference design that
 * expands every input feature on its own into `units` values: out[f, u] =
 * relu(x[f] · W[f, u] + b[f, u]), flattened. No weight is shared between features. Built
 * from element-wise ops because the WebAssembly back-end lacks the gradient kernels of
 * a depthwise convolution.
 */
export function perFeatureExpansion(tf: typeof tfType, args: PerFeatureExpansionArgs): tfType.layers.Layer {
  return new (layerClass(tf))(args);
}

/** Registers the layer class for loading saved models (idempotent). */
export function registerPerFeatureExpansion(tf: typeof tfType): void {
  layerClass(tf);
}

type LayerCtor = new (args: PerFeatureExpansionArgs) => tfType.layers.Layer;
const classes = new WeakMap<object, LayerCtor>();

function layerClass(tf: typeof tfType): LayerCtor {
  const known = classes.get(tf);
  if (known !== undefined) return known;
  class PerFeatureExpansion extends tf.layers.Layer {
    static className = 'WagglePerFeatureExpansion';
    private readonly units: number;
    private readonly seed: number;
    private kernel: tfType.LayerVariable | undefined;
    private bias: tfType.LayerVariable | undefined;

    constructor(a: PerFeatureExpansionArgs) {
      super(a.name === undefined ? {} : { name: a.name });
      this.units = a.units;
      this.seed = a.seed;
    }

    override build(inputShape: tfType.Shape | tfType.Shape[]): void {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfType.Shape;
      const features = shape[shape.length - 1] as number;
      this.kernel = this.addWeight('kernel', [features, this.units], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: this.seed }));
      this.bias = this.addWeight('bias', [features, this.units], 'float32', tf.initializers.zeros());
      this.built = true;
    }

    override computeOutputShape(inputShape: tfType.Shape | tfType.Shape[]): tfType.Shape {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfType.Shape;
      return [shape[0] ?? null, (shape[shape.length - 1] as number) * this.units];
    }

    override call(inputs: tfType.Tensor | tfType.Tensor[]): tfType.Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? (inputs[0] as tfType.Tensor) : inputs;
        const kernel = (this.kernel as tfType.LayerVariable).read();
        const bias = (this.bias as tfType.LayerVariable).read();
        const y = tf.relu(tf.add(tf.mul(tf.expandDims(x, -1), kernel), bias));
        return tf.reshape(y, [-1, (x.shape[1] as number) * this.units]);
      });
    }

    override getConfig(): tfType.serialization.ConfigDict {
      return { ...super.getConfig(), units: this.units, seed: this.seed };
    }
  }
  tf.serialization.registerClass(PerFeatureExpansion);
  classes.set(tf, PerFeatureExpansion);
  return PerFeatureExpansion;
}
