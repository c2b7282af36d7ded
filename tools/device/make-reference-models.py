"""Makes reference models and outputs on a machine with PyTorch + onnxruntime (the device
machine), for EfficientDL's differential tests. Nothing in the repo needs this script to run:
its outputs are committed as small fixtures in ONNX's node-test layout.

1. Checks the MNIST accuracy of ONNX Model Zoo's mnist-8 with Python onnxruntime (raw pixels).
2. Trains a small Conv/BatchNorm/Relu/MaxPool/Flatten/Gemm classifier in PyTorch on MNIST
   test images 0..4999, exports it with torch.onnx.export (opset 17), and quantizes it with
   onnxruntime's quantize_static (QDQ, per-channel int8 weights, uint8 activations, 128
   calibration images).
3. Trains a wider Conv/BN/Relu/MaxPool/Gemm classifier on all 60k Fashion-MNIST training images
   (GPU, 4 epochs), exports it (opset 17) as pytorch-fmnist-classifier.onnx, quantizes it with
   quantize_static (512 calibration images from the training set) and prints both accuracies on
   the 10k test images: the figures our prune/quantize packages are compared with.
4. Writes, for the MNIST models, model.onnx + test_data_set_0/{input_0,output_0}.pb where the
   outputs come from Python onnxruntime with graph optimizations disabled (the QDQ graph runs
   as written: DequantizeLinear -> float op -> QuantizeLinear).

Usage (device): python tools/device/make-reference-models.py DATA_DIR OUT_DIR
DATA_DIR holds mnist-8's model.onnx, the MNIST t10k files and fashion-mnist/ (train + t10k).
"""
import gzip
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static


def read_idx(path):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def session(path, optimize=True):
    options = ort.SessionOptions()
    if not optimize:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def mnist8_accuracy(data_dir, images, labels):
    sess = session(os.path.join(data_dir, "model.onnx"))
    name = sess.get_inputs()[0].name
    correct = 0
    for index in range(len(labels)):
        x = images[index].astype(np.float32).reshape(1, 1, 28, 28)
        correct += int(sess.run(None, {name: x})[0].argmax() == labels[index])
    print(f"mnist-8 onnxruntime {ort.__version__} accuracy (raw pixels): {correct / len(labels):.4f} ({correct}/{len(labels)})")


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.BatchNorm2d(16), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        )
        self.classifier = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def train_classifier(images, labels):
    torch.manual_seed(0)
    model = Classifier()
    x = torch.tensor(images[:5000], dtype=torch.float32).unsqueeze(1) / 255.0
    y = torch.tensor(labels[:5000], dtype=torch.int64)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(3):
        for start in range(0, 5000, 64):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[start:start + 64]), y[start:start + 64])
            loss.backward()
            optimizer.step()
    model.eval()
    return model


class FashionClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.BatchNorm2d(16), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        )
        self.classifier = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def fashion_classifier(data_dir, out_dir):
    folder = os.path.join(data_dir, "fashion-mnist")
    train_x = (read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    train_y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    test_x = (read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    test_y = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = FashionClassifier().to(device)
    x = torch.tensor(train_x, device=device)
    y = torch.tensor(train_y, device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(4):
        order = torch.randperm(60000, device=device)
        for start in range(0, 60000, 64):
            index = order[start:start + 64]
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x[index]), y[index]).backward()
            optimizer.step()
    model = model.cpu().eval()
    float_path = os.path.join(out_dir, "pytorch-fmnist-classifier.onnx")
    torch.onnx.export(model, (torch.zeros(1, 1, 28, 28),), float_path, opset_version=17, input_names=["pixels"], output_names=["logits"],
                      dynamic_axes={"pixels": {0: "N"}, "logits": {0: "N"}}, dynamo=False)
    qdq_path = os.path.join(out_dir, "pytorch-fmnist-classifier-qdq.onnx")
    quantize_static(float_path, qdq_path, Calibration("pixels", train_x[:512]), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    for path in (float_path, qdq_path):
        sess = session(path)
        predictions = np.concatenate([sess.run(None, {"pixels": test_x[i:i + 500]})[0].argmax(1) for i in range(0, 10000, 500)])
        print(f"{os.path.basename(path)} Fashion-MNIST test accuracy (ORT): {(predictions == test_y).mean():.4f}, bytes {os.path.getsize(path)}")


def write_case(folder, model_path, batch):
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    model = onnx.load(model_path)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    sess = session(model_path, optimize=False)
    input_name = sess.get_inputs()[0].name
    output_name = sess.get_outputs()[0].name
    output = sess.run(None, {input_name: batch})[0]
    with open(os.path.join(folder, "test_data_set_0", "input_0.pb"), "wb") as handle:
        handle.write(numpy_helper.from_array(batch, input_name).SerializeToString())
    with open(os.path.join(folder, "test_data_set_0", "output_0.pb"), "wb") as handle:
        handle.write(numpy_helper.from_array(output, output_name).SerializeToString())
    print(f"{folder}: input {batch.shape}, output {output.shape}, opsets {[(o.domain, o.version) for o in model.opset_import]}")


class Calibration(CalibrationDataReader):
    def __init__(self, name, images):
        self.batches = iter([{name: images[i:i + 1]} for i in range(len(images))])

    def get_next(self):
        return next(self.batches, None)


def main(data_dir, out_dir):
    images = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))
    mnist8_accuracy(data_dir, images, labels)
    model = train_classifier(images, labels)
    float_path = os.path.join(out_dir, "pytorch-classifier.onnx")
    example = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, (example,), float_path, opset_version=17, input_names=["pixels"], output_names=["logits"],
                      dynamic_axes={"pixels": {0: "N"}, "logits": {0: "N"}}, dynamo=False)
    scaled = (images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    calibration = Calibration("pixels", scaled[5000:5128])
    qdq_path = os.path.join(out_dir, "pytorch-classifier-qdq.onnx")
    quantize_static(float_path, qdq_path, calibration, quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    batch = scaled[9000:9016]
    write_case(os.path.join(out_dir, "pytorch-classifier"), float_path, batch)
    write_case(os.path.join(out_dir, "pytorch-classifier-qdq"), qdq_path, batch)
    for path in (float_path, qdq_path):
        sess = session(path)
        predictions = np.concatenate([sess.run(None, {"pixels": scaled[i:i + 500]})[0].argmax(1) for i in range(5000, 10000, 500)])
        print(f"{os.path.basename(path)} accuracy on MNIST test images 5000..9999 (ORT): {(predictions == labels[5000:]).mean():.4f}")
    fashion_classifier(data_dir, out_dir)
    print(f"torch {torch.__version__}, onnx {onnx.__version__}, onnxruntime {ort.__version__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
