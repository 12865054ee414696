namespace Orchestrator.Cli.Scripting;

/// <summary>One scripted LLM reply.</summary>
/// <param name="Key">The text whose occurrence in a prompt selects this reply.</param>
/// <param name="Text">The reply text.</param>
/// <param name="InputTokens">The prompt tokens to report.</param>
/// <param name="OutputTokens">The reply tokens to report.</param>
internal sealed record LlmReply(string Key, string Text, int InputTokens, int OutputTokens);
