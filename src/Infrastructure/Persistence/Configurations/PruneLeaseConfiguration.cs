using AuthPlatform.Infrastructure.Persistence.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

public sealed class PruneLeaseConfiguration : IEntityTypeConfiguration<PruneLease>
{
    public void Configure(EntityTypeBuilder<PruneLease> builder)
    {
        builder.ToTable("prune_leases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(64);
        builder.Property(l => l.Holder).HasMaxLength(64).IsRequired();
    }
}
