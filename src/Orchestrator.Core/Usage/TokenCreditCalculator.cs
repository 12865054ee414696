using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Usage;

/// <summary>The default credit rule: <c>ceil(total tokens / 1000)</c>, so any use of the LLM costs at least one credit.</summary>
public sealed class TokenCreditCalculator : ICreditCalculator
{
    /// <summary>The shared instance.</summary>
    public static TokenCreditCalculator Instance { get; } = new();

    /// <inheritdoc />
    public long CalculateCredits(ExecutionUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var tokens = Math.Max(0, usage.TotalTokens);

        // Divided first, so a huge count cannot overflow into negative credits as (tokens + 999) / 1000 would.
        return (tokens / 1000) + (tokens % 1000 == 0 ? 0 : 1);
    }
}
