using Orchestrator.Core.Memory;

namespace Orchestrator.Core.Ports;

/// <summary>
/// Counts the tokens of a text, so memory fits the token budget. The default, <see cref="CharacterTokenEstimator"/>,
/// estimates; a host with its model's tokenizer registers an exact one.
/// </summary>
public interface ITokenEstimator
{
    /// <summary>The tokens <paramref name="text"/> takes.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The token count, never negative.</returns>
    int CountTokens(string text);
}
