// Package finish is the one road from evidence to a report. A source —
// live probing in waves (internal/diagnose), a HAR file (internal/har), a
// browser recording (internal/browser), a capture of observations — hands
// over Evidence: the target, the observations and the focus (what the user
// asked for, the step they saw fail). Report then runs, in order:
//
//  1. log correlation (Stages.Logs attaches entries to the observations);
//  2. WAF replay of the refusals that never reached WordPress and that no
//     log explains, with one filter for every source (Stages.Replayer);
//  3. the verdict (internal/verdict), the origin comparison derived from
//     the observations themselves, the user's step first;
//  4. the remedies (internal/remedy);
//
// and builds the record.Report. The same observations give the same
// findings and remedies whatever read them.
package finish
