namespace Orchestrator.Core.Usage;

/// <summary>What a model costs, in the host's currency per million tokens (as providers publish their prices).</summary>
/// <param name="InputPerMillionTokens">The price of one million prompt tokens.</param>
/// <param name="OutputPerMillionTokens">The price of one million reply tokens.</param>
public sealed record ModelPrice(decimal InputPerMillionTokens, decimal OutputPerMillionTokens)
{
    /// <summary>The cost of one call with <paramref name="inputTokens"/> prompt and <paramref name="outputTokens"/> reply tokens.</summary>
    /// <param name="inputTokens">Prompt tokens.</param>
    /// <param name="outputTokens">Reply tokens.</param>
    /// <returns>The cost.</returns>
    public decimal CostOf(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillionTokens) + (outputTokens * OutputPerMillionTokens)) / 1_000_000m;
}
