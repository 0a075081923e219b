extension Catalog {
    /// The IWPC warfarin cohort (5,700 patients, 67 columns) as a CSV export of PharmGKB's sheet.
    public static let iwpcWarfarin = CatalogEntry(
        name: "iwpc_warfarin",
        checksums: .resource(file: "iwpc_warfarin.sha256", sha256: "868b701959f06c439b48651d1b324c8397da9a745bcdd647ebe4d51f6493098d"),
        sourceURL: "https://www.pharmgkb.org/downloads (\"IWPC Data\"; this CSV export of its sheet is "
            + "iwpc_data_7_3_09_revised.csv in github.com/lz2379/Kernel_Assisted_Learning, commit 134cf4a)",
        archiveURL: nil,
        licence: "PharmGKB data: Creative Commons Attribution-ShareAlike 4.0. De-identified patient data: keep it inside the project "
            + "and do not try to re-identify anyone.",
        citation: "The International Warfarin Pharmacogenetics Consortium, Estimation of the warfarin dose with clinical and "
            + "pharmacogenetic data, N Engl J Med 2009;360:753-64.")
}
