import Datasets
import Foundation
import Learning
import MLCore

let data = try ATTFaces.load(from: DatasetStore(override: "/work/shared/datasets"))
var rng = SeededGenerator(seed: 1)
let (train, test) = data.splitPerClass(trainPerClass: 7, using: &rng)
let args = CommandLine.arguments
let lr = Float(args[1])!, epochs = Int(args[2])!, hidden = Int(args[3])!, opt = args[4], bs = Int(args[5])!
var net = hidden == 0 ? Network.softmaxRegression(inputs: 10304, classes: 40, using: &rng) : Network.mlp(inputs: 10304, hidden: hidden, classes: 40, using: &rng)
let t0 = Date()
net = try Trainer(TrainingSettings(epochs: epochs, batchSize: bs, learningRate: lr, l2: 0, optimizer: opt == "adam" ? .adam : .sgd(momentum: 0.9))).fit(net, x: train.images, labels: train.labels, using: &rng) { e, l in if e % 10 == 0 { print(e, l) } }
print("train", net.accuracy(train.images, labels: train.labels), "test", net.accuracy(test.images, labels: test.labels), Date().timeIntervalSince(t0))
