using System.Text.Json;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// The audit trail's redaction rules for values a host shows elsewhere (a dashboard showing step outputs): values under
/// keys that name a secret, at any depth, and under <see cref="AuditOptions.RedactedKeys"/>, become <c>"[REDACTED]"</c>.
/// </summary>
public static class AuditRedaction
{
    /// <summary>What a redacted value is replaced with.</summary>
    public const string RedactedValue = AuditRedactor.Redacted;

    /// <summary>Redacts <paramref name="value"/> as the audit trail redacts event details.</summary>
    /// <param name="value">The value (returned as it is when it holds no secret).</param>
    /// <param name="options">The audit options whose <see cref="AuditOptions.RedactedKeys"/> are redacted too; none when null.</param>
    /// <returns>The value with its secrets replaced.</returns>
    public static JsonElement Redact(JsonElement value, AuditOptions? options = null) =>
        new AuditRedactor(options?.RedactedKeys ?? [], catalog: null).Redact(value);
}
