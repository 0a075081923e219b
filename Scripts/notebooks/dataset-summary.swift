// A notebook: load the AT&T faces and the IWPC cohort through the dataset store and summarise them.
// Run: Scripts/notebook.sh Scripts/notebooks/dataset-summary.swift

import Datasets
import Foundation
import MLCore

let store = DatasetStore(localRoot: "data")  // INVERSIONLAB_DATA wins when set

// The faces: 40 subjects x 10 photos, 92x112 grey levels in [0, 1].
let faces = try ATTFaces.load(from: store)
let pixels = faces.images.data
print("AT&T faces: \(faces.images.rows) images of \(faces.classCount) subjects, \(faces.width)x\(faces.height) pixels")
print(String(format: "  mean grey level %.3f, standard deviation %.3f", Statistics.mean(pixels), Statistics.standardDeviation(pixels)))
var rng = SeededGenerator(seed: 2015)
let (train, test) = faces.splitPerClass(trainPerClass: 7, using: &rng)
print("  seeded split: \(train.images.rows) training, \(test.images.rows) test photos")

// The IWPC cohort: what cleaning keeps, and the genotype frequencies an attacker is assumed to know.
let cohort = try IWPCWarfarin.load(from: store)
print("IWPC warfarin: \(cohort.rowsRead) rows read, \(cohort.patients.count) patients usable")
for step in cohort.steps where step.action == .dropped {
    print("  dropped \(step.rows): \(step.reason)")
}
for genotype in VKORC1.known {
    let n = cohort.patients.filter { $0.vkorc1 == genotype }.count
    print(String(format: "  VKORC1 %@: %4d patients (%.1f %%)", genotype.rawValue, n, 100 * Double(n) / Double(cohort.patients.count)))
}
for location in store.locations {
    print("\(location.name): \(location.folder) (\(location.reason))")
}
