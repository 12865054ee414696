using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>The host's model tokenizer, for doc blocks: one token per word.</summary>
public sealed class MyTokenizer : ITokenEstimator
{
    public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
