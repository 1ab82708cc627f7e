/// How a command journals a run: the store, the settings' identity, and what to do with what
/// the journal already holds for the run's pages.
public struct RunJournal: Sendable {
  public var store: JournalStore
  public var identity: String
  public var use: JournalUse

  public init(store: JournalStore, identity: String, use: JournalUse) {
    self.store = store
    self.identity = identity
    self.use = use
  }

  /// The plan with the journal's pages restored into it, and the writer to record the run;
  /// when the journal cannot be used, the plan as it was and the reason (the run goes on).
  public func prepare(_ plan: RunPlan, for document: OpenedDocument) async -> (
    plan: RunPlan, writer: JournalWriter?, warning: String?
  ) {
    // Page 1 renders on the document's queue while the journal reads its fingerprint.
    if let first = plan.pages.first { document.warm(page: first, maxSide: plan.maxSide) }
    switch await store.journal(for: document, identity: identity, fresh: use != .restore) {
    case .success(let (snapshot, writer)):
      var plan = plan
      if use == .restore { plan.restored = snapshot.restoring(plan.pages) }
      if use == .forget { writer.forget(plan.pages) }
      return (plan, writer, nil)
    case .failure(let error):
      return (plan, nil, error.description)
    }
  }
}
