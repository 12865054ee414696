using Microsoft.Extensions.AI;

namespace Orchestrator.Extensions.AI.Tests.TestSupport;

/// <summary>
/// A chat client that plays a model writing workflows: its first reply, then fixes that it makes only when the last
/// message names what is wrong (otherwise it sends its previous reply again, as a model that did not understand would).
/// </summary>
internal sealed class ScriptedChatClient
{
    private readonly List<(string? MustMention, string Reply)> _turns = [];
    private int _next;
    private string _last = string.Empty;

    public TestChatClient Client { get; }

    public List<string> RepairMessages { get; } = [];

    public ScriptedChatClient(string firstReply, int inputTokens = 100, int outputTokens = 50)
    {
        _turns.Add((null, firstReply));
        Client = new TestChatClient
        {
            Respond = call =>
            {
                if (_next > 0)
                {
                    RepairMessages.Add(call.LastUserText);
                }

                string reply;
                if (_next < _turns.Count && (_turns[_next].MustMention is not { } mention || call.LastUserText.Contains(mention, StringComparison.Ordinal)))
                {
                    reply = _turns[_next++].Reply;
                }
                else
                {
                    reply = _last;
                }

                _last = reply;
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
                {
                    Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens },
                };
            },
        };
    }

    /// <summary>The reply sent when the repair message mentions <paramref name="mustMention"/>.</summary>
    public ScriptedChatClient FixesWhenTold(string mustMention, string reply)
    {
        _turns.Add((mustMention, reply));
        return this;
    }
}
