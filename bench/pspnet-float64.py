"""How far TorchXRayVision's own float32 PSPNet outputs are from the same network in float64.

The converted graph (model.onnx from `npm run model:convert` on the zoo fixture checkpoint) is evaluated
op by op with PyTorch in float64 on each fixture tensor, and the fixture's reference outputs (float32)
are compared with it: sampled logits relative to each target's range, and mask pixels that differ. It
sizes the rounding noise a parity test against those references has to allow for. With --ours DIR
(files <film>.f32 holding the project's own 14x512x512 float32 logits) the project's outputs are
compared with float64 too.

Needs Debian's python3-torch and python3-onnx; never part of the product. About 4-5 minutes per film
on two cores:
    python3 bench/pspnet-float64.py /path/to/converted/pspnet [--ours DIR]
"""

import argparse
import json
import os

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "fixtures", "zoo", "pspnet")


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run_graph(graph, weights, image):
    values = dict(weights)
    values[graph.input[0].name] = image
    for node in graph.node:
        a = attributes(node)
        x = [values[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            if pads[0] != pads[2] or pads[1] != pads[3]:
                raise ValueError("asymmetric padding")
            y = F.conv2d(x[0], x[1], x[2] if len(x) > 2 else None, stride=a.get("strides", [1, 1]),
                         padding=(pads[0], pads[1]), dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))
        elif op == "Relu":
            y = F.relu(x[0])
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Sub":
            y = x[0] - x[1]
        elif op == "Div":
            y = x[0] / x[1]
        elif op == "MaxPool":
            y = F.max_pool2d(x[0], a["kernel_shape"], a["strides"], a["pads"][0])
        elif op == "AveragePool":
            y = F.avg_pool2d(x[0], a["kernel_shape"], a["strides"])
        elif op == "Shape":
            y = torch.tensor(list(x[0].shape))
        elif op == "Slice":
            y = x[0][int(x[1][0]):int(x[2][0])]
        elif op == "Concat":
            y = torch.cat(x, a["axis"]) if x[0].is_floating_point() else torch.cat([t.long() for t in x])
        elif op == "Resize":
            if a.get("mode") != b"linear" or a.get("coordinate_transformation_mode") != b"half_pixel":
                raise ValueError("unexpected Resize")
            y = F.interpolate(x[0], size=[int(s) for s in x[3][2:]], mode="bilinear", align_corners=False)
        else:
            raise ValueError(f"operator {op} is not handled here")
        values[node.output[0]] = y
    return values[graph.output[0].name]


def compare(name, sampled, masks, exact):
    """One line: worst sampled logit relative to its target's range, and mask pixels that differ."""
    exact_sampled = exact[:, ::8, ::8]
    span = exact_sampled.max(axis=(1, 2)) - exact_sampled.min(axis=(1, 2))
    worst = (np.abs(sampled - exact_sampled).max(axis=(1, 2)) / span).max()
    flips = (masks != (exact > 0)).sum(axis=(1, 2))
    return (f"  {name:<9} worst sampled logit / range {worst:.2e}; differing mask pixels {flips.sum():5d}, "
            f"per target at most {flips.max()} ({flips.max() / 512 / 512:.3%} of the plane)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--ours")
    parser.add_argument("--fixtures", default=FIXTURES)
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    model = onnx.load(os.path.join(args.model_dir, "model.onnx"))
    weights = {}
    for t in model.graph.initializer:
        w = torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
        weights[t.name] = w.double() if w.is_floating_point() else w
    reference = json.load(open(os.path.join(args.fixtures, "reference.json")))
    for film in reference["images"]:
        tensor = np.fromfile(os.path.join(args.fixtures, film["tensor"]), dtype=np.float32).reshape(1, 1, 512, 512)
        with torch.no_grad():
            exact = run_graph(model.graph, weights, torch.from_numpy(tensor).double())[0].numpy()
        # The reference keeps sampled logits (rounded to 1e-5) and the masks, not the full logits.
        bits = np.unpackbits(np.fromfile(os.path.join(args.fixtures, film["masks"]), dtype=np.uint8))
        masks = bits[: 14 * 512 * 512].reshape(14, 512, 512).astype(bool)
        sample = np.array(film["logits_sample"]).reshape(14, 64, 64)
        rows = [compare("reference", sample, masks, exact)]
        if args.ours:
            ours = np.fromfile(os.path.join(args.ours, film["file"] + ".f32"), dtype=np.float32).reshape(14, 512, 512)
            rows.append(compare("ours", ours[:, ::8, ::8], ours > 0, exact))
        print(f"{film['file']} against the network in float64:\n" + "\n".join(rows), flush=True)


if __name__ == "__main__":
    main()
