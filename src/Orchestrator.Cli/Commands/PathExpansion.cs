using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// Expands the paths <c>validate</c> is given: a folder stands for every <c>*.json</c> file under it, and a glob
/// (<c>*</c>, <c>?</c>, <c>**</c> for any depth) for the files it matches, so CI can pass one quoted pattern on any
/// shell. Matches are sorted (ordinal) so reports are the same on every machine.
/// </summary>
internal static partial class PathExpansion
{
    /// <summary>The files a path stands for, or the path itself when it is neither a folder nor a glob (a missing file is reported later).</summary>
    /// <param name="path">The path as given.</param>
    /// <param name="error">Why a glob or folder stands for no file.</param>
    /// <returns>The files.</returns>
    public static IReadOnlyList<string> Expand(string path, out string? error)
    {
        error = null;
        if (Directory.Exists(path))
        {
            var files = Sorted(Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories));
            if (files.Count == 0)
            {
                error = $"The folder '{path}' holds no .json file.";
            }

            return files;
        }

        if (path.AsSpan().IndexOfAny('*', '?') < 0)
        {
            return [path];
        }

        var separator = path.Replace('\\', '/');
        var firstWildcard = separator.AsSpan().IndexOfAny('*', '?');
        var lastSlash = separator.LastIndexOf('/', firstWildcard);
        var root = lastSlash < 0 ? "." : separator[..(lastSlash + 1)];
        var pattern = lastSlash < 0 ? separator : separator[(lastSlash + 1)..];
        var regex = new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var matches = new List<string>();
        if (Directory.Exists(root))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (regex.IsMatch(relative))
                {
                    matches.Add(lastSlash < 0 ? relative : root + relative);
                }
            }
        }

        if (matches.Count == 0)
        {
            error = $"The pattern '{path}' matches no file.";
        }

        return Sorted(matches);
    }

    private static List<string> Sorted(IEnumerable<string> files) => [.. files.Order(StringComparer.Ordinal)];

    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // '**/' is any number of folders (none too); '**' elsewhere is anything.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.ToString();
    }
}
