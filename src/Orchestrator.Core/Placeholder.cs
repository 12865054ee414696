namespace Orchestrator.Core;

/// <summary>Temporary.</summary>
public static class Placeholder
{
}
