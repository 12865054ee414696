using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>The memory context built for one run, and what it was built from.</summary>
/// <param name="Context">The text placed in LLM prompts and <c>{{memory.context}}</c>; empty when there is nothing to remember.</param>
/// <param name="Tokens">The tokens of <paramref name="Context"/>, by the run's token estimator.</param>
/// <param name="RunEntries">The past-run summaries in the context.</param>
/// <param name="UserEntries">The lasting user memories in the context.</param>
/// <param name="RecentRuns">The recent runs read from the store (all of them, also those left out for the budget): the summariser looks for recurring errors in them.</param>
internal sealed record InjectedMemory(string Context, int Tokens, int RunEntries, int UserEntries, IReadOnlyList<RunMemory> RecentRuns)
{
    public int Entries => RunEntries + UserEntries;

    /// <summary>The <c>{{memory.*}}</c> values, as checkpoints keep them: <c>context</c>, <c>tokens</c>, <c>entries</c>, <c>run_entries</c>, <c>user_entries</c>.</summary>
    public JsonElement ToJson() => JsonValues.Write(static (writer, memory) =>
    {
        writer.WriteStartObject();
        writer.WriteString("context", memory.Context);
        writer.WriteNumber("tokens", memory.Tokens);
        writer.WriteNumber("entries", memory.Entries);
        writer.WriteNumber("run_entries", memory.RunEntries);
        writer.WriteNumber("user_entries", memory.UserEntries);
        writer.WriteEndObject();
    }, this);
}
