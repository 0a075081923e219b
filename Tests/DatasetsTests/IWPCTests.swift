import Datasets
import Foundation
import Testing

/// The IWPC loader on hand-made tables: the Excel-mangled cells, missing values, broken rows.
struct IWPCLoaderTests {
    // The columns the loader reads, in a different order from the real file, plus one it ignores.
    static let header =
        "PharmGKB Subject ID,Extra,Project Site,Gender,Race (OMB),Age,Height (cm),Weight (kg),Amiodarone (Cordarone),"
        + "Carbamazepine (Tegretol),Phenytoin (Dilantin),Rifampin or Rifampicin,Estimated Target INR Range Based on Indication,"
        + "Subject Reached Stable Dose of Warfarin,Therapeutic Dose of Warfarin,CYP2C9 consensus,VKORC1 -1639 consensus"

    static let rows = [
        "P1,x,1,male,White,60 - 69,180.3,80.5,0,0,NA,NA,3-Feb,1,49,*1/*1,A/G",
        "P2,\"a, b\",2,female,Asian,19-Oct,160,55,1,NA,1,NA,4-Mar,1,21,*1/*3,A/A",
        "P3,,3,NA,Unknown,90+,NA,70,NA,NA,NA,NA,NA,1,35,*1/*5,NA",
        "P4,,4,male,Black or African American,50 - 59,175,90,0,0,0,0,2-3.5,0,28,NA,G/G",
        "P5,,5,female,White,NA,165,,0,0,0,1,NA,NA,NA,*2/*3,A/G",
        "P6,,6,male,White,70 - 79,170,NA,0,0,0,0,2-3,1,30,*3/*3,G/G",
    ]

    static func csv(_ rows: [String] = rows, header: String = header) -> String {
        ([header] + rows).joined(separator: "\n") + "\n"
    }

    @Test func parsesTypedValuesRepairsMangledCellsAndKeepsMissingAsMissing() throws {
        let (patients, repairs) = try IWPCWarfarin.parse(csv: IWPCLoaderTests.csv(), file: "hand.csv")
        #expect(patients.count == 6)
        let p1 = patients[0]
        let p2 = patients[1]
        let p3 = patients[2]
        let p5 = patients[4]
        #expect(p1.subjectID == "P1" && p1.site == 1 && p1.gender == "male" && p1.race == .white)
        #expect(p1.ageDecades == 6 && p1.heightCm == 180.3 && p1.weightKg == 80.5)
        #expect(p1.vkorc1 == .ag && p1.cyp2c9 == .star11 && p1.weeklyDoseMg == 49 && p1.reachedStableDose == true)
        #expect(p1.targetINRRange == "2-3")  // was 3-Feb
        #expect(p2.ageDecades == 1 && p2.targetINRRange == "3-4")  // were 19-Oct and 4-Mar
        #expect(p2.race == .asian && p2.vkorc1 == .aa && p2.cyp2c9 == .star13)
        #expect(p2.amiodarone == true && p2.carbamazepine == nil && p2.phenytoin == true && p2.enzymeInducer)
        // Missing stays missing: nil, never zero.
        #expect(p3.gender == nil && p3.heightCm == nil && p3.amiodarone == nil && p3.targetINRRange == nil)
        #expect(p3.ageDecades == 9 && p3.race == .missingOrMixed && p3.vkorc1 == .unknown)
        #expect(p3.cyp2c9 == .unknown && p3.cyp2c9Reported == "*1/*5")
        #expect(!p3.enzymeInducer)
        #expect(p5.ageDecades == nil && p5.weightKg == nil && p5.weeklyDoseMg == nil && p5.reachedStableDose == nil)
        #expect(p5.rifampin == true && p5.enzymeInducer && p5.cyp2c9 == .star23)
        #expect(repairs.map(\.rows) == [1, 1, 1])
        #expect(repairs.allSatisfy { $0.action == .repaired })
    }

    @Test func cleaningReportsEveryDropWithItsReason() throws {
        let cohort = try IWPCWarfarin.load(csv: IWPCLoaderTests.csv(), file: "hand.csv")
        #expect(cohort.rowsRead == 6)
        #expect(cohort.patients.map(\.subjectID) == ["P1", "P2"])
        let byReason = Dictionary(uniqueKeysWithValues: cohort.steps.map { ($0.reason, $0) })
        #expect(byReason.values.filter { $0.action == .repaired }.map(\.rows).reduce(0, +) == 3)
        #expect(cohort.steps.first { $0.action == .recoded }?.rows == 1)  // *1/*5
        let drops = cohort.steps.filter { $0.action == .dropped }
        #expect(drops.map(\.rows) == [1, 1, 0, 1, 1])  // no dose (P5), not stable (P4), age, height (P3), weight (P6)
        #expect(drops.last?.remaining == 2)
        #expect(drops.allSatisfy { !$0.reason.isEmpty })
    }

    @Test func covariatesFollowTheIWPCCodingAndMissingStaysNaN() throws {
        let (patients, _) = try IWPCWarfarin.parse(csv: IWPCLoaderTests.csv(), file: "hand.csv")
        let x = IWPCDosing.covariates(patients[1])
        let named = Dictionary(uniqueKeysWithValues: zip(IWPCDosing.columnNames, x))
        #expect(named["age_decades"] == 1 && named["height_cm"] == 160 && named["weight_kg"] == 55)
        #expect(named["vkorc1_AA"] == 1 && named["vkorc1_AG"] == 0 && named["vkorc1_unknown"] == 0)
        #expect(named["cyp2c9_13"] == 1 && named["cyp2c9_unknown"] == 0 && named["race_asian"] == 1)
        #expect(named["enzyme_inducer"] == 1 && named["amiodarone"] == 1)
        let swapped = IWPCDosing.covariates(patients[1], vkorc1: .gg, cyp2c9: .star11)
        #expect(swapped[3...5].allSatisfy { $0 == 0 } && swapped[6...11].allSatisfy { $0 == 0 })
        #expect(IWPCDosing.covariates(patients[2])[1].isNaN)  // P3 has no height
        #expect(IWPCDosing.columnNames.count == IWPCDosing.publishedWeights.count)
        #expect(IWPCDosing.publicBounds.count == IWPCDosing.columnNames.count)
        #expect(IWPCDosing.target([patients[0]]) == [7])
    }

    @Test func brokenTablesAreNamedByFileLineAndColumn() {
        func fails(_ text: String, _ fragments: [String]) {
            #expect {
                try IWPCWarfarin.parse(csv: text, file: "broken.csv")
            } throws: { error in
                let m = "\(error)"
                return m.contains("broken.csv") && fragments.allSatisfy { m.contains($0) }
            }
        }
        var rows = IWPCLoaderTests.rows
        rows[2] = rows[2].replacingOccurrences(of: "90+", with: "ninety")
        fails(IWPCLoaderTests.csv(rows), ["line 4", "'Age'", "ninety"])
        rows = IWPCLoaderTests.rows
        rows[0] = rows[0].replacingOccurrences(of: "180.3", with: "tall")
        fails(IWPCLoaderTests.csv(rows), ["line 2", "Height (cm)", "tall"])
        rows = IWPCLoaderTests.rows
        rows[1] = "P2,x,2,female"
        fails(IWPCLoaderTests.csv(rows), ["line 3", "4 fields"])
        fails(
            IWPCLoaderTests.csv(header: IWPCLoaderTests.header.replacingOccurrences(of: ",VKORC1 -1639 consensus", with: "")),
            ["VKORC1 -1639 consensus"])
        rows = IWPCLoaderTests.rows
        rows[0] = rows[0].replacingOccurrences(of: ",A/G", with: ",A/T")
        fails(IWPCLoaderTests.csv(rows), ["line 2", "A/T"])
        rows = IWPCLoaderTests.rows
        rows[3] = rows[3].replacingOccurrences(of: ",0,0,0,0,2-3.5", with: ",0,0,2,0,2-3.5")
        fails(IWPCLoaderTests.csv(rows), ["line 5", "Phenytoin", "0, 1 or NA"])
        rows = IWPCLoaderTests.rows
        rows[0] = rows[0].replacingOccurrences(of: ",49,", with: ",-3,")
        fails(IWPCLoaderTests.csv(rows), ["line 2", "positive"])
        fails("", ["empty"])
    }
}

/// The real IWPC table from the shared mirror: counts from its PROVENANCE.md.
struct RealIWPCTests {
    static var store: DatasetStore? { SharedData.store(holding: "iwpc_warfarin") }

    @Test(.enabled(if: store != nil, "needs the IWPC table: set INVERSIONLAB_DATA"))
    func loadsTheVerifiedTableWithTheDocumentedCounts() throws {
        let store = try #require(RealIWPCTests.store)
        let dir = try store.locate(Catalog.iwpcWarfarin)
        let text = try String(contentsOfFile: dir + "/" + IWPCWarfarin.fileName, encoding: .utf8)
        let (all, repairs) = try IWPCWarfarin.parse(csv: text, file: IWPCWarfarin.fileName)
        #expect(all.count == 5700 && Set(all.map(\.subjectID)).count == 5700)
        #expect(repairs.map(\.rows) == [14, 2656, 3])
        #expect(all.filter { $0.weeklyDoseMg != nil }.count == 5528)
        #expect(all.filter { $0.ageDecades != nil }.count == 5658)
        #expect(all.filter { $0.vkorc1 == .aa }.count == 1485 && all.filter { $0.vkorc1 == .ag }.count == 1470)
        #expect(all.filter { $0.vkorc1 == .gg }.count == 1246)
        #expect(all.filter { $0.race == .asian }.count == 1634 && all.filter { $0.race == .black }.count == 462)
        #expect(all.filter { $0.amiodarone == true }.count == 277 && all.filter { $0.amiodarone == nil }.count == 1518)
        #expect(all.filter { $0.reachedStableDose == true }.count == 5425)
        let cohort = IWPCWarfarin.clean(all, repairs: repairs)
        #expect(cohort.patients.allSatisfy { $0.weeklyDoseMg != nil && $0.heightCm != nil && $0.weightKg != nil && $0.ageDecades != nil })
        #expect(cohort.steps.last?.remaining == cohort.patients.count)
        #expect(IWPCDosing.design(cohort.patients).isFinite)
    }
}
