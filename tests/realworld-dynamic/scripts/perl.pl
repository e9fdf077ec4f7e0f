# Regexes and hashes, for the real-world dynamic tests (run by Debian's
# arm64 perl-base).
use strict;
use warnings;

my %count;
my @lines = <STDIN>;
for my $line (@lines) {
    chomp $line;
    my ($name, undef, $uid, $gid) = split /:/, $line;
    next unless defined $gid;
    push @{ $count{$gid} }, $name;
}
for my $gid (sort { $a <=> $b } keys %count) {
    printf "%-3s %s\n", $gid, join(',', sort @{ $count{$gid} });
}

my $text = "The year 1999 and 2024; also 42 and 7.";
my @years = $text =~ /\b(\d{4})\b/g;
print "years: @years\n";
(my $swapped = $text) =~ s/(\d+)/<$1>/g;
print "$swapped\n";
print "case-insensitive: ", ($text =~ /THE YEAR/i ? "yes" : "no"), "\n";
my %h = map { $_ => length } qw(apple fig banana kiwi);
print join(' ', map { "$_=$h{$_}" } sort { $h{$b} <=> $h{$a} || $a cmp $b } keys %h), "\n";
my $s = "a1b22c333";
while ($s =~ /([a-z])(\d+)/g) { print "$1 -> ", length($2), " at ", pos($s), "\n"; }
my %inv = reverse %h;
print "exists: ", (exists $inv{4} ? $inv{4} : 'none'), "\n";
printf "%.3f %05d %s\n", 3.14159, 42, lc("MiXeD");
local $_ = "tr counts vowels";
my $vowels = tr/aeiou//;
print "vowels: $vowels\n";
exit 4;
