using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using IdentityHasher = Microsoft.AspNetCore.Identity.PasswordHasher<AuthPlatform.Domain.Users.User>;

namespace AuthPlatform.Infrastructure.Hashing;

/// <summary>Settings of the password hash (configuration section <c>Passwords</c>).</summary>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Passwords";

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations: OWASP's current figure is 210,000; we default to
    /// 220,000. Hashes made with fewer are upgraded at the next successful login.
    /// </summary>
    public int Iterations { get; set; } = 220_000;
}

/// <summary>ASP.NET Core Identity's password hasher (format v3: PBKDF2-HMAC-SHA512, 128-bit salt, 256-bit subkey).</summary>
public sealed class IdentityPasswordHasher : Application.Common.Security.IPasswordHasher
{
    private readonly IdentityHasher _hasher;
    private readonly string _dummyHash;

    public IdentityPasswordHasher(IOptions<PasswordHashingOptions> options)
    {
        _hasher = new IdentityHasher(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.Iterations,
        }));
        _dummyHash = _hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
    }

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    public PasswordCheck Verify(string hash, string password) =>
        _hasher.VerifyHashedPassword(null!, hash, password) switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Success,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SuccessRehashNeeded,
            _ => PasswordCheck.Failed,
        };

    public void VerifyAgainstDummy(string password) => _hasher.VerifyHashedPassword(null!, _dummyHash, password);
}
