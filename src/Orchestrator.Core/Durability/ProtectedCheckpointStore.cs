using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Durability;

/// <summary>
/// A checkpoint store that keeps payloads protected: it wraps another store and passes every call through, with the
/// run's inputs, each step's data and each approval's title and message protected by an
/// <see cref="ICheckpointProtector"/> on the way in and read back on the way out. A protected JSON value is stored as
/// <c>{ "$protected": "..." }</c>; values stored in clear before protection was turned on still load as they are.
/// Ids, statuses, step ids, error codes, timings and token counts stay in clear: the store needs them to list and prune.
/// </summary>
public sealed class ProtectedCheckpointStore : ICheckpointStore
{
    /// <summary>The property a protected JSON value is stored under.</summary>
    public const string ProtectedProperty = "$protected";

    private readonly ICheckpointStore _inner;
    private readonly ICheckpointProtector _protector;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The store that keeps the protected checkpoints.</param>
    /// <param name="protector">Protects and reads back payloads.</param>
    public ProtectedCheckpointStore(ICheckpointStore inner, ICheckpointProtector protector)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(protector);
        _inner = inner;
        _protector = protector;
    }

    /// <inheritdoc />
    public ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return _inner.CreateRunAsync(run with { Inputs = Protect(run.Inputs) }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var protectedSteps = new StepCheckpoint[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            protectedSteps[i] = step with
            {
                Data = Protect(step.Data),
                Approval = step.Approval is { } approval ? approval with { Title = ProtectText(approval.Title), Message = ProtectText(approval.Message) } : null,
            };
        }

        return _inner.AppendStepsAsync(executionId, protectedSteps, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SetStatusAsync(string executionId, CheckpointStatus status, Execution.ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) =>
        _inner.SetStatusAsync(executionId, status, outcome, updatedAt, cancellationToken);

    /// <inheritdoc />
    public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default) =>
        _inner.UpdateDefinitionAsync(executionId, definitionJson, definitionHash, cancellationToken);

    /// <inheritdoc />
    public ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default) =>
        _inner.AddApprovalDecisionAsync(decision, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.LoadAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var steps = new StepCheckpoint[stored.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            var step = stored.Steps[i];
            steps[i] = step with
            {
                Data = Unprotect(step.Data),
                Approval = step.Approval is { } approval ? approval with { Title = UnprotectText(approval.Title), Message = UnprotectText(approval.Message) } : null,
            };
        }

        return stored with { Run = stored.Run with { Inputs = Unprotect(stored.Run.Inputs) }, Steps = steps };
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default) =>
        _inner.ListRunsAsync(status, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
        _inner.DeleteExpiredAsync(finishedBefore, cancellationToken);

    private JsonElement Protect(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return value;
        }

        var sealedText = _protector.Protect(value.GetRawText());
        return Execution.Values.JsonValues.Write(static (writer, text) =>
        {
            writer.WriteStartObject();
            writer.WriteString(ProtectedProperty, text);
            writer.WriteEndObject();
        }, sealedText);
    }

    private JsonElement Unprotect(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(ProtectedProperty, out var sealedText) || sealedText.ValueKind != JsonValueKind.String)
        {
            return value; // Stored in clear (before protection was turned on).
        }

        using var document = JsonDocument.Parse(_protector.Unprotect(sealedText.GetString()!), new JsonDocumentOptions { MaxDepth = 256 });
        return document.RootElement.Clone();
    }

    private string? ProtectText(string? text) => text is null ? null : ProtectedProperty + ":" + _protector.Protect(text);

    private string? UnprotectText(string? text) =>
        text is not null && text.StartsWith(ProtectedProperty + ":", StringComparison.Ordinal)
            ? _protector.Unprotect(text[(ProtectedProperty.Length + 1)..])
            : text;
}
