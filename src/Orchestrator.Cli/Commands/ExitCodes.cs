namespace Orchestrator.Cli.Commands;

/// <summary>The tool's exit codes, the same for every command (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Every file is valid, the plan was printed, or the run succeeded.</summary>
    public const int Success = 0;

    /// <summary>A workflow is invalid, cannot be planned, or its run did not succeed.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong, or a file the command needs cannot be read or is not what it must be.</summary>
    public const int UsageError = 2;
}
