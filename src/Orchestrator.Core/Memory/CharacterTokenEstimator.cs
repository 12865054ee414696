using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>
/// The default token estimate: one token per four characters, rounded up (the usual rule of thumb for English with
/// BPE tokenizers). It errs high on short words and low on code; register an exact <see cref="ITokenEstimator"/>
/// when the budget must be tight.
/// </summary>
public sealed class CharacterTokenEstimator : ITokenEstimator
{
    /// <summary>The shared instance.</summary>
    public static CharacterTokenEstimator Instance { get; } = new();

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Count(text.Length);
    }

    /// <summary>The estimate for a text of <paramref name="length"/> characters, for callers that know the length without the text.</summary>
    internal static int Count(int length) => (length + 3) / 4;
}
