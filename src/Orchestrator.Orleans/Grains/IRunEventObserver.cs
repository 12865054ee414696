namespace Orchestrator.Orleans.Grains;

/// <summary>The caller's side of a streamed run: the grain sends each event, awaiting each call, so they arrive in order.</summary>
internal interface IRunEventObserver : IGrainObserver
{
    /// <summary>Receives one event.</summary>
    /// <param name="kind">The event's type (see <c>RunJson</c>).</param>
    /// <param name="json">The event as JSON.</param>
    /// <returns>A task that completes when the event is taken.</returns>
    Task OnEventAsync(string kind, string json);
}
