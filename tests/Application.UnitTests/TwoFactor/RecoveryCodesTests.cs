using System.Text.RegularExpressions;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class RecoveryCodesTests
{
    private readonly Ports _ports = new();

    [Fact]
    public void Generate_Always_GivesTenDistinctCodesInTheDocumentedShape()
    {
        var user = _ports.NewUser();
        var alphabet = Regex.Escape(RecoveryCodes.Alphabet);
        var shape = new Regex($"^[{alphabet}]{{4}}-[{alphabet}]{{4}}-[{alphabet}]{{4}}$");
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");

        var (codes, entities) = _ports.RecoveryCodes.Generate(user);

        Assert.Equal(User.RecoveryCodeCount, codes.Count);
        Assert.Equal(User.RecoveryCodeCount, entities.Count);
        Assert.All(codes, c => Assert.Matches(shape, c));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generate_Always_DrawsFromTheSecretGeneratorWithTheRecoveryAlphabet()
    {
        var user = _ports.NewUser();
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");

        _ports.RecoveryCodes.Generate(user);

        _ports.Secrets.Received(User.RecoveryCodeCount).NewCode(RecoveryCodes.Alphabet, RecoveryCodes.LocatorLength);
        _ports.Secrets.Received(User.RecoveryCodeCount).NewCode(RecoveryCodes.Alphabet, RecoveryCodes.SecretLength);
    }

    [Fact]
    public void Generate_Always_StoresOnlyTheHashOfTheEightCharacterSecret()
    {
        var user = _ports.NewUser();
        _ports.Hasher.Hash(Arg.Any<string>()).Returns(call => Ports.SlowHashOf(call.Arg<string>()));

        var (codes, entities) = _ports.RecoveryCodes.Generate(user);

        var hashed = _ports.Hasher.ReceivedCalls()
            .Where(c => c.GetMethodInfo().Name == nameof(IPasswordHasher.Hash))
            .Select(c => (string)c.GetArguments()[0]!)
            .ToList();
        var secrets = codes.Select(c => c[5..9] + c[10..]).ToList();
        Assert.Equal(secrets, hashed);
        Assert.All(hashed, h => Assert.Equal(RecoveryCodes.SecretLength, h.Length));
        for (var i = 0; i < codes.Count; i++)
        {
            Assert.Equal(user.Id, entities[i].UserId);
            Assert.Equal(codes[i][..4], entities[i].Locator);
            Assert.Equal(Ports.SlowHashOf(secrets[i]), entities[i].CodeHash);
            Assert.Null(entities[i].UsedAt);
            Assert.Equal(_ports.Clock.GetUtcNow(), entities[i].CreatedAt);
        }
    }

    [Fact]
    public void Generate_GeneratorRepeatsALocator_DrawsAnotherSoLocatorsStayDistinct()
    {
        var user = _ports.NewUser();
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");
        var locators = new Queue<string>(["aaaa", "aaaa", "bbbb", "aaaa", "cccc", "dddd", "eeee", "ffff", "gggg", "hhhh", "jjjj", "kkkk"]);
        _ports.Secrets.NewCode(RecoveryCodes.Alphabet, RecoveryCodes.LocatorLength).Returns(_ => locators.Dequeue());

        var (codes, entities) = _ports.RecoveryCodes.Generate(user);

        Assert.Equal(["aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff", "gggg", "hhhh", "jjjj", "kkkk"], entities.Select(e => e.Locator));
        Assert.Equal(entities.Count, entities.Select(e => e.Id).Distinct().Count());
        Assert.All(codes.Zip(entities), pair => Assert.StartsWith(pair.Second.Locator + "-", pair.First, StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_Result_IsAcceptedByTheUser()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected(Ports.TotpSecret));
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");

        var (_, entities) = _ports.RecoveryCodes.Generate(user);
        user.EnableTwoFactor(Ports.StartStep, entities, _ports.Clock.GetUtcNow());

        Assert.Equal(User.RecoveryCodeCount, user.RecoveryCodesLeft);
    }

    [Theory]
    [InlineData("abcd-efgh-jkmn", "abcdefghjkmn")]
    [InlineData(" ABCD EFGH-jkmn ", "abcdefghjkmn")]
    [InlineData("abcd-efgh-jkm", null)]
    [InlineData("abcd-efgh-jkmnp", null)]
    [InlineData("", null)]
    public void Normalize_PresentedCode_DropsSeparatorsAndCaseOrGivesNull(string presented, string? expected)
    {
        Assert.Equal(expected, RecoveryCodes.Normalize(presented));
    }
}
