/// Receives a batch's events, one at a time (the runner serialises them).
public protocol BatchObserver: AnyObject {
    func handle(_ event: BatchEvent)
}
