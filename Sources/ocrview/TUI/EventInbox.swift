import OCRViewUI
import Synchronization

/// Events posted from any thread for the UI thread, which a `Waker` wakes.
final class EventInbox: Sendable {
  private let events = Mutex<[Event]>([])
  private let waker: Waker

  init(waker: Waker) { self.waker = waker }

  func post(_ event: Event) {
    events.withLock { $0.append(event) }
    waker.poke()
  }

  func takeAll() -> [Event] {
    events.withLock { events in
      defer { events.removeAll() }
      return events
    }
  }
}
