namespace Orchestrator.Stores.PostgreSql;

/// <summary>A host wrote to a run it does not own (its lease expired and another host took the run, or it never held it).</summary>
public sealed class LeaseLostException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="owner">The host that wrote.</param>
    /// <param name="currentOwner">The host that owns the run now, if any.</param>
    public LeaseLostException(string executionId, string owner, string? currentOwner)
        : base($"Host '{owner}' does not hold the lease of run '{executionId}' (it is held by {(currentOwner is null ? "no one" : $"'{currentOwner}'")}); the write was refused.")
    {
        ExecutionId = executionId;
        CurrentOwner = currentOwner;
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException()
    {
        ExecutionId = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public LeaseLostException(string message)
        : base(message)
    {
        ExecutionId = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExecutionId = string.Empty;
    }

    /// <summary>The run.</summary>
    public string ExecutionId { get; }

    /// <summary>The host that owns the run now, if any.</summary>
    public string? CurrentOwner { get; }
}
