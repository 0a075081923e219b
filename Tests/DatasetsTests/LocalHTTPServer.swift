import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.0 server on 127.0.0.1 for the store's download tests: it serves fixed paths and
/// answers 404 to anything else, or (`silent`) accepts connections and reads requests but never answers.
/// It handles a bounded number of requests and stops with the test.
final class LocalHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let files: [String: [UInt8]]
    private let silent: Bool
    private var held: [Int32] = []
    private(set) var requests: [String] = []
    private let lock = NSLock()

    init(files: [String: [UInt8]], silent: Bool = false) throws {
        self.files = files
        self.silent = silent
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        socketFD = fd
        Thread.detachNewThread { [self] in serve(maxRequests: 200) }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    var requestLog: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    private func serve(maxRequests: Int) {
        for _ in 0..<maxRequests {
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 8192)
            var request = [UInt8]()
            while !request.containsHeaderEnd {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                request += buffer[0..<n]
            }
            let line = String(decoding: request.prefix(while: { $0 != 0x0D && $0 != 0x0A }), as: UTF8.self)
            let path = line.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            lock.lock()
            requests.append(path)
            if silent { held.append(client) }
            lock.unlock()
            if silent { continue }
            let body = files[path]
            let head =
                body == nil
                ? "HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
                : "HTTP/1.0 200 OK\r\nContent-Length: \(body!.count)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
            let out = Array(head.utf8) + (body ?? [])
            var sent = 0
            while sent < out.count {
                let n = out[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
            close(client)
        }
    }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
        lock.lock()
        for client in held { close(client) }
        held = []
        lock.unlock()
    }
}

extension Array where Element == UInt8 {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}
