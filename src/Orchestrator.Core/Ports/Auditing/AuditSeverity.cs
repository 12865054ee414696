using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Ports;

/// <summary>
/// How serious an audit event is: only <see cref="Info"/>, <see cref="Warning"/> or <see cref="Critical"/>. The type
/// has no public constructor (unlike an enum, no other value can be cast into it), so an invalid severity cannot be
/// written; stores read one back with <see cref="TryParse"/>.
/// </summary>
public sealed class AuditSeverity
{
    private AuditSeverity(string name, int level)
    {
        Name = name;
        Level = level;
    }

    /// <summary>Normal operation (<c>info</c>).</summary>
    public static AuditSeverity Info { get; } = new("info", 0);

    /// <summary>Something went wrong without stopping the run, or a step failed (<c>warning</c>).</summary>
    public static AuditSeverity Warning { get; } = new("warning", 1);

    /// <summary>A run failed or a limit stopped it (<c>critical</c>).</summary>
    public static AuditSeverity Critical { get; } = new("critical", 2);

    /// <summary>Every severity, lowest first.</summary>
    public static IReadOnlyList<AuditSeverity> All { get; } = [Info, Warning, Critical];

    /// <summary>The wire name: <c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public string Name { get; }

    /// <summary>The order of severities: 0 for info, 1 for warning, 2 for critical.</summary>
    public int Level { get; }

    /// <summary>Reads a wire name back (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <param name="severity">The severity, when the name is one.</param>
    /// <returns>Whether <paramref name="name"/> names a severity.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out AuditSeverity? severity)
    {
        severity = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        return severity is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
