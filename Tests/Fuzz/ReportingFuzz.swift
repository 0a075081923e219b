// libFuzzer entry point for PNG reading (libpng's simplified API through Reporting's PNG). Built and run by
// Scripts/fuzz.sh, which compiles Reporting's PNG and image sources into one module with this file. A rejected
// input must be a PNGError; a decoded image must hold exactly width x height x channels bytes.

/// libFuzzer calls this with every input it tries; returning 0 means the input was handled.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for channels in [1, 3] {
        do {
            let image = try PNG.decode(bytes, channels: channels, source: "fuzz.png")
            guard image.pixels.count == image.width * image.height * channels else {
                fatalError("PNG: \(image.width)x\(image.height)x\(channels) with \(image.pixels.count) bytes")
            }
        } catch is PNGError {
        } catch {
            fatalError("png: an untyped error escaped: \(type(of: error)): \(error)")
        }
    }
    return 0
}
