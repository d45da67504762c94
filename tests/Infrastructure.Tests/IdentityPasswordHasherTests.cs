using System.Buffers.Binary;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Infrastructure.Hashing;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class IdentityPasswordHasherTests
{
    private const string Password = "correct horse battery staple";

    // One hasher for the class: PBKDF2 at 220,000 iterations is deliberately slow.
    private static readonly IdentityPasswordHasher DefaultHasher = new(Options.Create(new PasswordHashingOptions()));

    private static readonly Lazy<string> DefaultHash = new(() => DefaultHasher.Hash(Password));

    [Fact]
    public void Hash_WithDefaultOptions_IsPbkdf2V3WithHmacSha512And220000Iterations()
    {
        var bytes = Convert.FromBase64String(DefaultHash.Value);

        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1, 4))); // KeyDerivationPrf.HMACSHA512
        Assert.Equal(220_000u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4)));
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9, 4));
        Assert.Equal(16, saltLength);
        Assert.Equal(13 + saltLength + 32, bytes.Length);
    }

    [Fact]
    public void Hash_SamePasswordTwice_GivesDifferentSaltedHashes()
    {
        var other = DefaultHasher.Hash(Password);

        Assert.NotEqual(DefaultHash.Value, other);
        Assert.DoesNotContain(Password, other, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RightPassword_Succeeds()
    {
        Assert.Equal(PasswordCheck.Success, DefaultHasher.Verify(DefaultHash.Value, Password));
    }

    [Theory]
    [InlineData("correct horse battery stapl")]
    [InlineData("Correct horse battery staple")]
    [InlineData("correct horse battery staple ")]
    [InlineData("")]
    public void Verify_WrongPassword_Fails(string wrong)
    {
        Assert.Equal(PasswordCheck.Failed, DefaultHasher.Verify(DefaultHash.Value, wrong));
    }

    [Fact]
    public void Verify_HashWithFewerIterations_SucceedsWithRehashNeeded()
    {
        var weak = new IdentityPasswordHasher(Options.Create(new PasswordHashingOptions { Iterations = 1000 }));
        var weakHash = weak.Hash(Password);
        Assert.Equal(1000u, BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(weakHash).AsSpan(5, 4)));

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, DefaultHasher.Verify(weakHash, Password));
        Assert.Equal(PasswordCheck.Failed, DefaultHasher.Verify(weakHash, "not the password"));
        Assert.Equal(PasswordCheck.Success, weak.Verify(weakHash, Password));
    }

    [Fact]
    public void Verify_LongPasswordWithLastCharacterChanged_Fails()
    {
        // No truncation: the 128th character counts.
        var fast = new IdentityPasswordHasher(Options.Create(new PasswordHashingOptions { Iterations = 1000 }));
        var longPassword = new string('p', 127) + "a";
        var hash = fast.Hash(longPassword);

        Assert.Equal(PasswordCheck.Success, fast.Verify(hash, longPassword));
        Assert.Equal(PasswordCheck.Failed, fast.Verify(hash, new string('p', 127) + "b"));
        Assert.Equal(PasswordCheck.Failed, fast.Verify(hash, new string('p', 127)));
    }

    [Fact]
    public void Verify_UnicodePassword_IsNotNormalizedAway()
    {
        var fast = new IdentityPasswordHasher(Options.Create(new PasswordHashingOptions { Iterations = 1000 }));
        var hash = fast.Hash("пароль-пароль-\U0001F600");

        Assert.Equal(PasswordCheck.Success, fast.Verify(hash, "пароль-пароль-\U0001F600"));
        Assert.Equal(PasswordCheck.Failed, fast.Verify(hash, "ПАРОЛЬ-ПАРОЛЬ-\U0001F600"));
    }
}
