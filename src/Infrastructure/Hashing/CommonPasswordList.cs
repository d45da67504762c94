using System.Reflection;
using AuthPlatform.Application.Common.Security;

namespace AuthPlatform.Infrastructure.Hashing;

/// <summary>
/// The common-password list shipped with the product: the 30,000 most common passwords of
/// zxcvbn's frequency list (packaged in zxcvbn-core) and our own list of long common
/// passwords (<c>Resources/common-passwords.txt</c>). Compared case-insensitively.
/// </summary>
public sealed class CommonPasswordList : ICommonPasswordList
{
    private readonly HashSet<string> _passwords = new(StringComparer.OrdinalIgnoreCase);

    public CommonPasswordList()
    {
        Load(Assembly.Load(new AssemblyName("zxcvbn-core")), "zxcvbn-core.Dictionaries.passwords.lst");
        Load(typeof(CommonPasswordList).Assembly, "AuthPlatform.Infrastructure.Resources.common-passwords.txt");
    }

    public int Count => _passwords.Count;

    public bool Contains(string password) => _passwords.Contains(password);

    private void Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The common-password list {resource} is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && !word.StartsWith('#'))
            {
                _passwords.Add(word);
            }
        }
    }
}
