// Test-only Elasticsearch plugin for the secured test cluster (tests/support/secured-home.ts).
//
// The integ-test distribution lacks the analysis-common module, and the security index (.security-7:
// native users, native roles, API keys) declares an `email` analyzer built from three of its parts:
// the uax_url_email tokenizer and the pattern_capture and unique token filters. Without them the
// security index cannot be created, so the security API cannot store a user, a role or an API key.
// This plugin provides those three names over Lucene's own classes (lucene-analysis-common ships in
// the distribution's lib/), as analysis-common does; nothing else.
package org.tracardi.console.test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

public final class SecurityIndexAnalysis extends Plugin implements AnalysisPlugin {
    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        // pattern_capture has no default (it needs its patterns): Elasticsearch must not build it bare.
        return Map.of("pattern_capture", AnalysisPlugin.requiresAnalysisSettings(PatternCapture::new), "unique", Unique::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", UaxUrlEmail::new);
    }

    /** analysis-common's pattern_capture: `patterns` and `preserve_original` (default true). */
    static final class PatternCapture extends AbstractTokenFilterFactory {
        private final Pattern[] patterns;
        private final boolean preserveOriginal;

        PatternCapture(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            List<String> regexes = settings.getAsList("patterns");
            if (regexes.isEmpty()) throw new IllegalArgumentException("pattern_capture [" + name + "] needs patterns");
            patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
            preserveOriginal = settings.getAsBoolean("preserve_original", true);
        }

        @Override
        public TokenStream create(TokenStream stream) {
            return new PatternCaptureGroupTokenFilter(stream, preserveOriginal, patterns);
        }
    }

    /** analysis-common's unique: each term once per stream (only_on_same_position: per position). */
    static final class Unique extends AbstractTokenFilterFactory {
        private final boolean onlyOnSamePosition;

        Unique(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
        }

        @Override
        public TokenStream create(TokenStream stream) {
            return new UniqueFilter(stream, onlyOnSamePosition);
        }
    }

    static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueFilter(TokenStream in, boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (onlyOnSamePosition && posInc.getPositionIncrement() > 0) seen.clear();
                char[] chars = term.buffer();
                int length = term.length();
                if (seen.contains(chars, 0, length)) continue;
                char[] copy = new char[length];
                System.arraycopy(chars, 0, copy, 0, length);
                seen.add(copy);
                return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }

    /** analysis-common's uax_url_email, with max_token_length. */
    static final class UaxUrlEmail extends AbstractTokenizerFactory {
        private final int maxTokenLength;

        UaxUrlEmail(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            maxTokenLength = settings.getAsInt("max_token_length", 255);
        }

        @Override
        public Tokenizer create() {
            UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
            tokenizer.setMaxTokenLength(maxTokenLength);
            return tokenizer;
        }
    }
}
