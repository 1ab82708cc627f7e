import Foundation

/// Quick questions to an OCR server: is it there, what does it serve, how many slots.
public struct ServerProbe: Sendable {
  public let endpoint: ServerEndpoint
  public let transport: CurlTransport
  public var apiKey: String?
  public var insecure = false

  public init(endpoint: ServerEndpoint, transport: CurlTransport, apiKey: String? = nil) {
    self.endpoint = endpoint
    self.transport = transport
    self.apiKey = apiKey
  }

  /// The status and body of a GET, or nil when nothing answered within `timeout`.
  public func get(_ url: String, timeout: Duration) async -> (status: Int, body: [UInt8])? {
    let request = HTTPRequest(
      url: url, headers: apiKey.map { ["Authorization: Bearer \($0)"] } ?? [],
      connectTimeout: timeout, idleTimeout: timeout, insecure: insecure)
    return await withTaskGroup(of: (Int, [UInt8])?.self) { group in
      group.addTask {
        var status = 0
        var body: [UInt8] = []
        do {
          for try await event in transport.send(request) {
            switch event {
            case .head(let code, _): status = code
            case .body(let bytes): body += bytes
            }
          }
        } catch { return nil }
        return status > 0 ? (status, body) : nil
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
  }

  /// `GET /health`: nil when no server answered; otherwise its HTTP status (503: loading).
  public func health(timeout: Duration = .seconds(1)) async -> Int? {
    await get(endpoint.healthURL, timeout: timeout)?.status
  }

  /// `total_slots` from llama-server's `GET /props`: how many pages it serves at once.
  public func slots(timeout: Duration = .seconds(1)) async -> Int? {
    guard let (status, body) = await get(endpoint.propsURL, timeout: timeout), status == 200
    else { return nil }
    struct Props: Decodable {
      let totalSlots: Int?
      enum CodingKeys: String, CodingKey { case totalSlots = "total_slots" }
    }
    return (try? JSONDecoder().decode(Props.self, from: Data(body)))?.totalSlots
  }

  /// The model ids from `GET /v1/models`.
  public func models(timeout: Duration = .seconds(1)) async -> [String] {
    guard let (status, body) = await get(endpoint.modelsURL, timeout: timeout), status == 200
    else { return [] }
    struct Models: Decodable {
      struct Model: Decodable { let id: String }
      let data: [Model]?
    }
    // Shown by `doctor`: one safe line each.
    return (try? JSONDecoder().decode(Models.self, from: Data(body)))?.data?.map {
      ServerText.oneLine($0.id)
    } ?? []
  }
}
