// A notebook: invert one face of a saved softmax model with white-box MI-Face and write it as a PNG.
// Run: Scripts/notebook.sh Scripts/notebooks/invert-one-face.swift [MODEL_FOLDER] [SUBJECT 1-40] [OUTPUT.png]
// MODEL_FOLDER defaults to the one Fredrikson2015Faces saves (out/Fredrikson2015Faces/models/softmax); when it
// is not there, a softmax model is trained on the faces (about a second) and saved first.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

let arguments = Array(CommandLine.arguments.dropFirst())
let modelFolder = arguments.count > 0 ? arguments[0] : "out/Fredrikson2015Faces/models/softmax"
let subject = arguments.count > 1 ? Int(arguments[1]) ?? 1 : 1
let output = arguments.count > 2 ? arguments[2] : "face-s\(subject).png"
guard (1...40).contains(subject) else {
    print("the subject must be 1 to 40 (got \(subject))")
    exit(2)
}

if !FileManager.default.fileExists(atPath: modelFolder + "/layers.txt") {
    print("no saved model in \(modelFolder): training softmax regression on the faces")
    let faces = try ATTFaces.load(from: DatasetStore(localRoot: "data"))
    var rng = SeededGenerator(seed: 2015)
    let (train, _) = faces.splitPerClass(trainPerClass: 7, using: &rng)
    let settings = TrainingSettings(epochs: 60, batchSize: 40, learningRate: 0.01, optimizer: .sgd(momentum: 0.9))
    let model = try Trainer(settings).fit(
        .softmaxRegression(inputs: train.images.cols, classes: 40), x: train.images, labels: train.labels, using: &rng)
    try ModelIO.save(model.network, to: modelFolder)
}
let model = NeuralClassifier(try ModelIO.load(from: modelFolder))
print("model: \(model.inputSize) inputs, \(model.classCount) classes, \(model.network.parameterCount) parameters")

// The attacker gets white-box access through the oracle, which counts every query.
let oracle = WhiteBoxOracle(model)
var attack = MIFace()
attack.cost = .negativeLogP
let inversion = try attack.run(labels: [subject - 1], oracle: oracle)[0]
print(
    "subject \(subject): confidence \(inversion.confidence) after \(inversion.iterations) iterations (\(inversion.stopReason.rawValue)), \(oracle.queries) queries"
)
try FileSystem.writeAtomically(try PNG.encode(Image8.contrastStretched(inversion.image, width: 92, height: 112)), to: output)
print("wrote \(output)")
