// Times crabstep on the blobs named on the command line: for each blob, a new
// deserializer, the root's properties, the text as an owned String (what a
// caller keeps), and every attribute value visited, as imessage-database's
// body parser does. Rounds of ROUND_MS; prints the best round's blobs/s in the
// bench's `name value unit` form, and how many blobs gave no text.
use std::{env, fs, time::Instant};

use crabstep::{OutputData, Property, TypedStreamDeserializer};

fn visit(p: Property<'_, '_>, depth: usize, sink: &mut usize) {
    if depth > 32 {
        return;
    }
    match p {
        Property::Primitive(OutputData::String(s)) => *sink += s.len(),
        Property::Primitive(_) => *sink += 1,
        Property::Group(g) => {
            for q in g {
                visit(q, depth + 1, sink);
            }
        }
        Property::Object { name, data, .. } => {
            *sink += name.len();
            for q in data {
                visit(q, depth + 1, sink);
            }
        }
    }
}

/// The text, or None when crabstep cannot read the blob.
fn decode(bytes: &[u8], sink: &mut usize) -> Option<String> {
    let mut ts = TypedStreamDeserializer::new(bytes);
    let mut props = ts.iter_root().ok()?;
    let text = props.next().as_ref().and_then(Property::as_string)?.to_string();
    for p in props {
        visit(p, 0, sink);
    }
    Some(text)
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let round_ms: f64 = env::var("ROUND_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500.0);
    let rounds: usize = env::var("ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let blobs: Vec<Vec<u8>> = args.iter().map(|p| fs::read(p).expect("readable blob")).collect();
    let mut sink = 0usize;
    let failed = blobs.iter().filter(|b| decode(b, &mut sink).is_none()).count();
    let mut best = 0f64;
    for _ in 0..=rounds {
        let start = Instant::now();
        let mut n = 0usize;
        while start.elapsed().as_secs_f64() * 1000.0 < round_ms {
            for b in &blobs {
                if let Some(t) = decode(b, &mut sink) {
                    sink += t.len();
                }
            }
            n += blobs.len();
        }
        best = best.max(n as f64 / start.elapsed().as_secs_f64());
    }
    println!("crabstep_blobs {} blobs", blobs.len());
    println!("crabstep_failed {} blobs", failed);
    println!("crabstep_blobs_per_s {} blobs/s", best.round());
    if sink == usize::MAX {
        println!("{sink}");
    }
}
