using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Orchestrator.Extensions.AI.Tests.TestSupport;

/// <summary>
/// A real chat client written for the tests (no network): every call is recorded with its messages, options and token,
/// and answered by <see cref="Respond"/> (by default with "ok" and no usage).
/// </summary>
internal sealed class TestChatClient : IChatClient
{
    public ConcurrentQueue<ChatCall> Calls { get; } = new();

    public Func<ChatCall, ChatResponse> Respond { get; set; } = static _ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));

    /// <summary>When set, each call waits for this task (or for its cancellation) before answering.</summary>
    public Task? Gate { get; set; }

    public bool Disposed { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = new ChatCall([.. messages], options?.Clone(), cancellationToken);
        Calls.Enqueue(call);
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Respond(call);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => Disposed = true;
}

/// <summary>One call a <see cref="TestChatClient"/> received.</summary>
internal sealed record ChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, CancellationToken CancellationToken)
{
    public string LastUserText => Messages.Last(m => m.Role == ChatRole.User).Text;
}
