/// A document run with its pages checked (`--check`, the viewer's `K`): the run's events and
/// each page's check, as they come, in one stream — what the headless command and the viewer
/// both read.
///
/// It wires the referee in, so no reader does: each page image goes to the referee as the
/// page's request leaves (`RunRecipe.imageSent`: it reads while the model does, never
/// before), and a page is checked at the image size its run sent (`RunPlan.maxSide`) with the
/// grounding its run read it with. Only a server's run is checked
/// (`CheckUnavailable.refusal(for:)`).
///
/// Which pages are checked is the reader's to say (`Asking`): the headless command checks every
/// page as it finishes; the viewer asks (`check(page:text:)`), because `K` turns checking on
/// and off while pages finish and only its model knows which pages it is waiting for — a page
/// the run checked on its own just after `K`, or skipped just before it, would leave the model
/// wrong.
///
/// When a run that checks every page has nothing to check (no referee; the built-in engine
/// reads it), its events are read as they are: no second stream per delta.
public final class CheckedRun: Sendable {
  public enum Item: Sendable, Equatable {
    case run(RunEvent)
    /// A page's check, or why it could not be checked.
    case checked(page: Int, Result<PageCheck, PageReferee.Failure>)
  }

  /// Which pages are checked.
  public enum Asking: Sendable {
    /// Each page as it finishes (restored pages too); the stream ends once the run has ended
    /// and every check is in.
    case everyFinishedPage
    /// The pages `check(page:text:)` names; the stream ends once the run has ended,
    /// `endAsking()` (or `cancel()`) was called, and every check asked for is in.
    case whenAsked
  }

  /// The run, to cancel or change its mode.
  public let running: RunControl
  public let items: any AsyncSequence<Item, Never> & Sendable
  private let asks: AsyncStream<Input>.Continuation?

  /// Starts `run`. `referee` is asked for the referee whenever an image is sent or a page is
  /// checked (nil: not checking now; the viewer's `K` turns it on and off); `grounded`: the
  /// run's pages carry grounding boxes to strip before comparing.
  public init(
    starting run: RunRecipe, referee: @escaping @Sendable () -> PageReferee?, grounded: Bool,
    asking: Asking
  ) {
    let refusal = CheckUnavailable.refusal(for: run.engine.kind)
    var recipe = run
    if refusal == nil {
      let document = run.document
      recipe.imageSent = { image in referee()?.offer(image, of: document) }
    }
    running = recipe.start()
    if asking == .everyFinishedPage && (refusal != nil || referee() == nil) {
      items = running.events.map { Item.run($0) }
      asks = nil
      return
    }
    let check = PageChecks(
      referee: referee, refusal: refusal, document: run.document, maxSide: run.plan.maxSide,
      grounded: grounded)
    let (inputs, feed) = AsyncStream.makeStream(of: Input.self)
    asks = asking == .whenAsked ? feed : nil
    items = Self.merge(running.events, inputs, feed, everyPage: asking == .everyFinishedPage, check)
  }

  /// Asks for a page's check (`.whenAsked`): its `.checked` item follows. Ignored once asking
  /// has ended.
  public func check(page: Int, text: String) {
    asks?.yield(.ask(page: page, text: text))
  }

  /// No more pages will be asked for: the stream ends once the run has and the checks asked
  /// for are in.
  public func endAsking() { asks?.yield(.asksEnded) }

  /// Cancels the run and ends asking.
  public func cancel() {
    running.cancel()
    endAsking()
  }

  enum Input: Sendable {
    case event(RunEvent)
    case ask(page: Int, text: String)
    case runEnded
    case asksEnded
  }

  /// The run's events and the checks, in one stream; each check runs concurrently (the
  /// referee queues them for its readers), so a slow page never holds back the next.
  private static func merge(
    _ events: AsyncStream<RunEvent>, _ inputs: AsyncStream<Input>,
    _ feed: AsyncStream<Input>.Continuation, everyPage: Bool, _ check: PageChecks
  ) -> AsyncStream<Item> {
    let (items, out) = AsyncStream.makeStream(of: Item.self)
    let forward = Task {
      for await event in events { feed.yield(.event(event)) }
      feed.yield(.runEnded)
    }
    let task = Task {
      await withTaskGroup(of: Void.self) { checks in
        var (runOpen, asksOpen) = (true, !everyPage)
        // Once the run has ended, what is left waits only for its checks: no longer idle work.
        func start(_ page: Int, _ text: String) {
          let urgent = !runOpen
          checks.addTask {
            out.yield(.checked(page: page, await check(page: page, text: text, urgent: urgent)))
          }
        }
        for await input in inputs {
          switch input {
          case .event(let event):
            out.yield(.run(event))
            if everyPage, case .pageFinished(let page, let text, _) = event { start(page, text) }
          case .ask(let page, let text) where asksOpen: start(page, text)
          case .ask: break
          case .runEnded:
            runOpen = false
            checks.addTask { await check.hurry() }
          case .asksEnded: asksOpen = false
          }
          if !runOpen && !asksOpen { break }
        }
      }
      feed.finish()
      out.finish()
    }
    out.onTermination = { _ in
      forward.cancel()
      task.cancel()
    }
    return items
  }
}

/// How a page of one run is checked: by the referee (if checking now), against the image size
/// the run sent, with grounding boxes stripped if the run had them.
private struct PageChecks: Sendable {
  let referee: @Sendable () -> PageReferee?
  /// Set for a run whose pages have nothing to check (the built-in engine read them).
  let refusal: CheckUnavailable?
  let document: OpenedDocument
  let maxSide: Int
  let grounded: Bool

  /// `urgent`: the run has ended (`PageReferee.hurry`).
  func callAsFunction(page: Int, text: String, urgent: Bool) async -> Result<
    PageCheck, PageReferee.Failure
  > {
    if let refusal { return .failure(PageReferee.Failure(description: refusal.description)) }
    guard let referee = referee() else { return .failure(.stopped) }
    return await referee.check(
      page: page, of: document, modelText: text, maxSide: maxSide, grounded: grounded,
      urgent: urgent)
  }

  /// The run has ended: the pages still being checked are read at normal priority.
  func hurry() async {
    guard refusal == nil else { return }
    await referee()?.hurry(document)
  }
}
