import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

@Suite struct ModelProfileTests {
  /// Model ids as llama-server (GGUF file names, paths, aliases) and vLLM (HF ids) name them.
  static let ids: [(String, ModelProfile)] = [
    ("LightOnOCR-1B-1025-Q8_0.gguf", .lightOnOCR1),
    ("lightonai/LightOnOCR-1B-1025", .lightOnOCR1),
    ("/models/LightOnOCR-2-1B-Q4_K_M.gguf", .lightOnOCR2),
    ("lightonai/LightOnOCR-2-1B", .lightOnOCR2),
    ("lightonai/LightOnOCR-2-1B-bbox", .lightOnOCR2BBox),
    ("lightonai/LightOnOCR-3-0.8B", .lightOnOCR3Small),
    ("LightOnOCR-3-1B-Q8_0.gguf", .lightOnOCR3),
    ("lightonai/LightOnOCR-3-1B", .lightOnOCR3),
    ("lightonocr-3-4b-q8_0.gguf", .lightOnOCR3Large),
    ("LIGHTONOCR_3_4B.gguf", .lightOnOCR3Large),
    ("lightonai/LightOnOCR-3-4B", .lightOnOCR3Large),
  ]

  @Test func aProfileIsChosenFromEachModelID() {
    for (id, profile) in Self.ids {
      #expect(ModelProfile.matching(id) == profile, "\(id)")
    }
    #expect(ModelProfile.matching("Qwen2.5-VL-7B-Instruct-Q4_K_M.gguf") == nil)
    #expect(ModelProfile.choose(["my-alias", "/m/LightOnOCR-2-1B.gguf"]) == .lightOnOCR2)
    // An unknown model is named as it is served, and said to be unknown.
    let alias = ModelProfile.choose(["my-alias"])
    #expect(alias.name == "my-alias" && !alias.isKnown)
    #expect(alias.summary(maxSide: 1540, grounding: false) == "my-alias (unknown model) · 1540 px")
    #expect(ModelProfile.choose(["/models/renamed-ocr.gguf"]).name == "renamed-ocr.gguf")
    // A server that names no model: said once, not "unknown model (unknown model)".
    #expect(
      ModelProfile.choose([]).summary(maxSide: 1540, grounding: false) == "unknown model · 1540 px")
  }

  /// A renamed LightOnOCR (`fake-lightonocr`, an `--alias`) once got 1,146 tokens of an
  /// 8,192-token slot for a 1089×1540 page, against 5,500 under its own name: an unknown model's
  /// image is estimated as no costlier than the known models' costliest.
  @Test func anUnknownModelIsNotGivenFewerTokensThanAKnownOne() {
    let image = PageImage(number: 1, bytes: [1], mimeType: "image/png", width: 1089, height: 1540)
    func budget(_ profile: ModelProfile) -> Int {
      RequestedSettings().settings(profile: profile, contextTokens: 8192).maxTokens(for: image)
    }
    let known = [ModelProfile.lightOnOCR1, .lightOnOCR2, .lightOnOCR3, .lightOnOCR3Large]
      .map(budget)
    let unknown = budget(.unknown(servedAs: "fake-lightonocr"))
    #expect(unknown >= known.min()!, "unknown \(unknown), known \(known)")
    #expect(unknown > 5000)
  }

  @Test func theTableIsLightOnsTable() {
    let table = [
      ModelProfile.lightOnOCR1, .lightOnOCR2, .lightOnOCR3Small, .lightOnOCR3, .lightOnOCR3Large,
    ].map { "\($0.name) \($0.maxSide) \($0.grounding) \($0.topP) \($0.temperature)" }
    #expect(
      table == [
        "LightOnOCR-1B-1025 1540 false 0.9 0.2", "LightOnOCR-2-1B 1540 false 0.9 0.2",
        "LightOnOCR-3-0.8B 2048 true 1.0 0.2", "LightOnOCR-3-1B 1540 true 1.0 0.2",
        "LightOnOCR-3-4B 2048 true 1.0 0.2",
      ])
    // Unknown: today's request.
    let unknown = RequestedSettings().settings(profile: .unknown, contextTokens: nil)
    #expect(unknown == GenerationSettings())
    #expect(RequestedSettings().maxSide(profile: .unknown) == 1540)
  }

  /// The body sent for each profile: sampling and parts as LightOn's client sends them.
  @Test func theRequestBodyFollowsTheProfile() throws {
    let image = PageImage(number: 1, bytes: [1], mimeType: "image/png", width: 1000, height: 800)
    for profile in [ModelProfile.lightOnOCR1, .lightOnOCR2, .lightOnOCR3, .lightOnOCR3Large] {
      let requested = RequestedSettings(grounding: true)
      let settings = requested.settings(profile: profile, contextTokens: nil)
      let body = try #require(
        try JSONSerialization.jsonObject(
          with: Data(ChatRequest.body(for: image, mode: .stream, settings: settings)))
          as? [String: Any])
      #expect(body["temperature"] as? Double == 0.2)
      #expect(body["top_p"] as? Double == profile.topP)
      #expect(body["max_tokens"] as? Int == 4096)
      let messages = try #require(body["messages"] as? [[String: Any]])
      #expect(messages.count == 1 && messages[0]["role"] as? String == "user")
      let parts = try #require(messages[0]["content"] as? [[String: Any]])
      #expect(
        parts.map { $0["type"] as? String }
          == (profile.grounding ? ["image_url", "text"] : ["image_url"]))
      if profile.grounding { #expect(parts[1]["text"] as? String == "grounding") }
      let kwargs = body["chat_template_kwargs"] as? [String: Bool]
      #expect(kwargs == (profile.disablesThinking ? ["enable_thinking": false] : nil))
    }
  }

  @Test func explicitFlagsWinOverTheProfile() {
    let requested = RequestedSettings(
      model: "m", maxTokens: 99, temperature: 0.5, topP: 0.4, prompt: "p", maxSide: 800)
    let settings = requested.settings(profile: .lightOnOCR3Large, contextTokens: 18000)
    #expect(settings.temperature == 0.5 && settings.topP == 0.4 && settings.maxTokens == 99)
    #expect(settings.contextTokens == nil && settings.model == "m" && settings.prompt == "p")
    #expect(requested.maxSide(profile: .lightOnOCR3Large) == 800)
    #expect(!settings.grounding)
  }

  @Test func groundingIsRefusedWhereTheModelHasNone() {
    let asked = RequestedSettings(grounding: true)
    #expect(asked.groundingRefusal(profile: .lightOnOCR3) == nil)
    #expect(
      asked.groundingRefusal(profile: .lightOnOCR2) == .noGrounding(model: "LightOnOCR-2-1B"))
    #expect(asked.groundingRefusal(profile: nil) == .groundingNeedsServer)
    #expect(RequestedSettings().groundingRefusal(profile: .lightOnOCR2) == nil)
    #expect(!ProfileError.noGrounding(model: "X").description.contains("\n"))
  }

  @Test func maxTokensIsWhatTheContextLeavesAfterTheImage() {
    // 1190 × 1540 at 28 px a token: 43 columns (+1 row break) × 55 rows + 256.
    #expect(TokenBudget.promptTokens(width: 1190, height: 1540, tokenSide: 28) == 44 * 55 + 256)
    #expect(
      TokenBudget.maxTokens(contextTokens: 8192, width: 1190, height: 1540, tokenSide: 28)
        == 8192 - (44 * 55 + 256))
    #expect(
      TokenBudget.maxTokens(contextTokens: 1000, width: 2048, height: 2048, tokenSide: 16) == 256)
    #expect(
      TokenBudget.maxTokens(contextTokens: 131072, width: 100, height: 100, tokenSide: 32) == 16384)
    var settings = RequestedSettings().settings(profile: .lightOnOCR1, contextTokens: 8192)
    let page = PageImage(number: 1, bytes: [], mimeType: "image/png", width: 1190, height: 1540)
    #expect(settings.maxTokens(for: page) == 8192 - (44 * 55 + 256))
    #expect(settings.maxTokensBound == 16384)
    settings.contextTokens = nil
    #expect(settings.maxTokens(for: page) == 4096)
  }

  /// Both server shapes, end to end: the profile and the context come from what they say.
  @Test(arguments: [FakeModel.Server.llamaServer, .vllm])
  func theServerSaysWhichProfileAndContext(server kind: FakeModel.Server) async throws {
    let transport = CurlTransport()
    for (id, profile) in Self.ids {
      let server = try FakeOCRServer(
        slots: 2, model: FakeModel(id: id, server: kind, contextTokens: 16384)
      ) { _ in .chatStream(deltas: ["x"]) }
      let endpoint = try #require(ServerEndpoint(server.baseURL))
      let engine = ChatCompletionsEngine(
        endpoint: endpoint, settings: GenerationSettings(), apiKey: nil, transport: transport)
      let selection = await EngineSelection.remote(
        [engine], probes: [ServerProbe(endpoint: endpoint, transport: transport)],
        requested: RequestedSettings(), concurrency: nil, reason: "")
      #expect(selection.profile?.model == profile, "\(id)")
      #expect(selection.maxSide == profile.maxSide)
      let settings = try #require(selection.engine as? ChatCompletionsEngine).settings
      // llama-server reports the context per slot; vLLM has no slots to share it.
      #expect(settings.contextTokens == (kind == .llamaServer ? 8192 : 16384))
      // No /props slots (vLLM): the in-flight count adapts, from 8 up to 64.
      #expect(
        selection.concurrency
          == (kind == .llamaServer ? .fixed(2) : .adaptive(start: 8, max: 64)))
      #expect(settings.topP == profile.topP)
    }
  }

  /// The image size is resolved once, as the engine is selected; the plan and the journal's
  /// key read it from the selection.
  @Test func theImageSizeIsResolvedAtSelectionAndThePlanAndJournalReadIt() async throws {
    let transport = CurlTransport()
    let server = try FakeOCRServer(model: FakeModel(id: "lightonai/LightOnOCR-3-0.8B")) { _ in
      .chatStream(deltas: ["x"])
    }
    var setup = EngineSetup(servers: [try #require(ServerEndpoint(server.baseURL))], workers: 1)
    let store = JournalStore(directory: TestFiles.scratchDirectory())
    var sizes: [String] = []
    for requested in [nil, 800] {
      setup.requested.maxSide = requested
      for kind in [EngineKind.server, .builtIn] {
        let selection = try await setup.engine(kind, transport: transport, reason: "")
        let plan = setup.plan(pages: [1], mode: .stream, for: selection)
        let key = setup.journal(for: selection, store: store).identity
        sizes.append(
          "\(kind) \(selection.maxSide) \(plan.maxSide) \(key.contains("max_side=\(plan.maxSide) "))"
        )
        await selection.engine.shutdown()
      }
    }
    #expect(
      sizes == [
        "server 2048 2048 true", "builtIn 1540 1540 true", "server 800 800 true",
        "builtIn 800 800 true",
      ])
  }

  /// A llama-server loading its model answers 503 everywhere. The selection waits for it, so
  /// the run's pages go out with its model's settings and under the journal key of a run
  /// started once it had loaded — before, an unknown model's (another image size, token limit
  /// and journal: a run resumed beside a restarting server read every page again).
  @Test func aServerLoadingItsModelIsWaitedForBeforeItsSettingsAreChosen() async throws {
    let transport = CurlTransport()
    let model = FakeModel(id: "lightonai/LightOnOCR-3-0.8B", contextTokens: 16384)
    let server = try FakeOCRServer(slots: 2, health: .loading, model: model) { _ in
      .chatStream(deltas: ["x"])
    }
    let setup = EngineSetup(servers: [try #require(ServerEndpoint(server.baseURL))], workers: 1)
    let store = JournalStore(directory: TestFiles.scratchDirectory())
    let selecting = Task { try await setup.engine(.server, transport: transport, reason: "") }
    // Loaded once the selection has seen it loading and asked again.
    #expect(
      await server.waitUntil {
        server.allRequests.filter { $0.path == "/health" }.count >= 1
      })
    server.setHealth(.ok)
    let selection = try await selecting.value
    #expect(!selection.serverLoading)
    #expect(selection.profile?.model.maxSide == selection.maxSide)
    #expect(selection.concurrency == .fixed(2))
    let loaded = try await setup.engine(.server, transport: transport, reason: "")
    #expect(
      setup.journal(for: selection, store: store).identity
        == setup.journal(for: loaded, store: store).identity)
    #expect(selection.engine.outputIdentity.contains("context"))
  }

  /// One that stays loading past the wait: pages go out anyway (and wait for it), said so.
  @Test func aServerStillLoadingAfterTheWaitIsSaidToBe() async throws {
    let transport = CurlTransport()
    let server = try FakeOCRServer(health: .loading) { _ in .chatStream(deltas: ["x"]) }
    let endpoint = try #require(ServerEndpoint(server.baseURL))
    let engine = ChatCompletionsEngine(
      endpoint: endpoint, settings: GenerationSettings(), apiKey: nil, transport: transport)
    let selection = await EngineSelection.remote(
      [engine], probes: [ServerProbe(endpoint: endpoint, transport: transport)],
      concurrency: nil, loadingWait: .zero, reason: "")
    #expect(selection.serverLoading)
    #expect(selection.profile?.model.isKnown == false)  // an unknown model's settings
  }

  /// After the wait, facts asked for and not answered are no news: what the loading server
  /// said stands and it is asked again, instead of the run going on as if the server had no
  /// model (an unknown model's token limit went out once, in the suite beside two CPU hogs).
  @Test func factsUnansweredAfterTheWaitDoNotReplaceTheServersWord() async throws {
    // Nothing listens on the discard port: no 503 from /health, and no facts.
    let probe = ServerProbe(
      endpoint: try #require(ServerEndpoint("127.0.0.1:9")), transport: CurlTransport())
    var loading = ServerFacts.parse(
      props: nil, models: Array(#"{"data":[{"id":"lightonai/LightOnOCR-3-0.8B"}]}"#.utf8))
    loading.answered = true
    loading.loading = true
    let facts = await probe.factsOnceLoaded(
      loading, waitingUpTo: .milliseconds(300), every: .milliseconds(50))
    #expect(facts.answered && facts.loading)
    #expect(facts.modelIDs == ["lightonai/LightOnOCR-3-0.8B"])
  }

  /// Answered in part (a `/props` that timed out under load beside a `/v1/models` that did
  /// not: no context, so an unknown model's 4096 `max_tokens`), facts are asked again; only
  /// at the deadline does the part stand.
  @Test func factsAnsweredInPartAfterTheWaitAreAskedAgain() {
    var loading = ServerFacts()
    loading.loading = true
    var partial = ServerFacts(modelIDs: ["lightonai/LightOnOCR-3-0.8B"])
    partial.complete = false
    #expect(ServerProbe.settled(loading, asked: partial, lastChance: false) == loading)
    #expect(ServerProbe.settled(loading, asked: partial, lastChance: true) == partial)
    let full = ServerFacts(
      modelIDs: ["lightonai/LightOnOCR-3-0.8B"], slots: 1, contextTokens: 16384)
    #expect(ServerProbe.settled(loading, asked: full, lastChance: false) == full)
  }

  @Test func aServersSlotCountIsKeptSane() {
    let huge = ServerFacts.parse(
      props: Array(#"{"total_slots": 4611686018427387904}"#.utf8), models: nil)
    #expect(huge.slots == 1024)
    let none = ServerFacts.parse(props: Array(#"{"total_slots": -3}"#.utf8), models: nil)
    #expect(none.slots == 1)
  }
}
