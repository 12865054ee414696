using System.Threading.Channels;
using Orchestrator.Core.Execution;
using Orchestrator.Orleans.Grains;
using Orchestrator.Orleans.Serialization;

namespace Orchestrator.Orleans.Client;

/// <summary>The client's end of a streamed run: events are queued in the order the grain sends them.</summary>
internal sealed class RunEventObserver : IRunEventObserver
{
    private readonly Channel<ExecutionEvent> _events = Channel.CreateUnbounded<ExecutionEvent>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<ExecutionEvent> Reader => _events.Reader;

    /// <summary>Whether the run's final event came through the stream (else the client adds it from the wait's result).</summary>
    public bool SawEnd { get; private set; }

    public Task OnEventAsync(string kind, string json)
    {
        if (RunJson.DeserializeEvent(kind, json) is { } @event)
        {
            SawEnd |= @event is ExecutionFinishedEvent;
            _ = _events.Writer.TryWrite(@event);
        }

        return Task.CompletedTask;
    }

    public void Complete(ExecutionEvent? last, Exception? error)
    {
        if (last is not null && !SawEnd)
        {
            _ = _events.Writer.TryWrite(last);
        }

        _ = _events.Writer.TryComplete(error);
    }
}
