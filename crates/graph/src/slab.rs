//! Storage behind the graph's arrays: an owned vector, or a window into shared bytes (for
//! example a memory-mapped snapshot) viewed in place without copying.
//!
//! A [`Slab`] validates bounds and alignment once, when it is made, so reading it never panics
//! and never copies. Cloning is cheap (reference counted), which lets an undirected graph use
//! one array for both its out- and in-adjacency.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use bytemuck::Pod;

/// Bytes that can back a [`Slab`]: a memory map, a `Vec<u8>`, anything that derefs to bytes and
/// lives as long as the graph.
pub trait Backing: AsRef<[u8]> + Send + Sync + 'static {}
impl<B: AsRef<[u8]> + Send + Sync + 'static> Backing for B {}

/// An immutable array of `T`, owned or borrowed from shared bytes.
#[derive(Clone)]
pub struct Slab<T: Pod> {
    repr: Repr<T>,
}

#[derive(Clone)]
enum Repr<T> {
    Owned(Arc<Vec<T>>),
    Shared { bytes: Arc<dyn Backing>, start: usize, len: usize },
}

/// Why shared bytes could not be viewed as an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlabError {
    /// The window `start .. start + len * size_of::<T>()` runs past the end of the bytes.
    OutOfBounds {
        /// Byte offset of the window.
        start: usize,
        /// Length of the window in bytes (saturated on overflow).
        bytes: usize,
        /// Size of the backing bytes.
        available: usize,
    },
    /// The window does not start at a multiple of the element's alignment.
    Misaligned {
        /// Byte offset of the window.
        start: usize,
        /// Alignment the element type needs.
        align: usize,
    },
}

impl fmt::Display for SlabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlabError::OutOfBounds { start, bytes, available } => write!(
                f,
                "array of {bytes} bytes at offset {start} runs past the end of the data ({available} bytes)"
            ),
            SlabError::Misaligned { start, align } => {
                write!(f, "array at offset {start} is not aligned to {align} bytes")
            }
        }
    }
}

impl std::error::Error for SlabError {}

/// The bytes behind a shared backing.
#[inline]
fn raw(bytes: &Arc<dyn Backing>) -> &[u8] {
    AsRef::<[u8]>::as_ref(&**bytes)
}

impl<T: Pod> Slab<T> {
    /// An owned slab.
    pub fn from_vec(values: Vec<T>) -> Self {
        Slab { repr: Repr::Owned(Arc::new(values)) }
    }

    /// A view of `len` elements of `T` starting at byte `start` of `bytes`, checked once here.
    pub fn from_shared(
        bytes: Arc<dyn Backing>,
        start: usize,
        len: usize,
    ) -> Result<Self, SlabError> {
        let size = std::mem::size_of::<T>();
        let available = raw(&bytes).len();
        let byte_len = len.checked_mul(size);
        let end = byte_len.and_then(|b| start.checked_add(b));
        match end {
            Some(end) if end <= available => {}
            _ => {
                return Err(SlabError::OutOfBounds {
                    start,
                    bytes: byte_len.unwrap_or(usize::MAX),
                    available,
                });
            }
        }
        let align = std::mem::align_of::<T>();
        let base = raw(&bytes).as_ptr() as usize;
        if (base + start) % align != 0 {
            return Err(SlabError::Misaligned { start, align });
        }
        Ok(Slab { repr: Repr::Shared { bytes, start, len } })
    }

    /// The elements.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        match &self.repr {
            Repr::Owned(v) => v.as_slice(),
            Repr::Shared { bytes, start, len } => {
                let size = std::mem::size_of::<T>();
                // Bounds and alignment were checked in `from_shared`, so this cannot fail.
                bytemuck::cast_slice(&raw(bytes)[*start..*start + *len * size])
            }
        }
    }

    /// Whether the elements live in shared bytes (a memory map) rather than an owned vector.
    pub fn is_shared(&self) -> bool {
        matches!(self.repr, Repr::Shared { .. })
    }

    /// Heap bytes owned by this slab (0 for a shared view).
    pub fn owned_bytes(&self) -> usize {
        match &self.repr {
            Repr::Owned(v) => v.len() * std::mem::size_of::<T>(),
            Repr::Shared { .. } => 0,
        }
    }
}

impl<T: Pod> Deref for Slab<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Pod + fmt::Debug> fmt::Debug for Slab<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice().iter().take(16)).finish()?;
        if self.len() > 16 { write!(f, " ({} elements)", self.len()) } else { Ok(()) }
    }
}

impl<T: Pod> Default for Slab<T> {
    fn default() -> Self {
        Slab::from_vec(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_view_reads_in_place() {
        let words: Vec<u8> = [1u32, 2, 3].iter().flat_map(|w| w.to_le_bytes()).collect();
        // A Vec<u8> is not guaranteed to be 4-aligned; build the bytes from a Vec<u32> instead.
        let backing: Vec<u32> = vec![1, 2, 3];
        let bytes: Vec<u8> = bytemuck::cast_slice(&backing).to_vec();
        assert_eq!(bytes, words);
        let arc: Arc<dyn Backing> = Arc::new(AlignedBytes(backing));
        let slab = Slab::<u32>::from_shared(arc.clone(), 4, 2).unwrap();
        assert_eq!(&*slab, &[2, 3]);
        assert!(matches!(
            Slab::<u32>::from_shared(arc.clone(), 4, 3),
            Err(SlabError::OutOfBounds { .. })
        ));
        assert!(matches!(
            Slab::<u32>::from_shared(arc.clone(), 2, 1),
            Err(SlabError::Misaligned { .. })
        ));
        assert!(matches!(
            Slab::<u32>::from_shared(arc, 0, usize::MAX),
            Err(SlabError::OutOfBounds { .. })
        ));
    }

    struct AlignedBytes(Vec<u32>);
    impl AsRef<[u8]> for AlignedBytes {
        fn as_ref(&self) -> &[u8] {
            bytemuck::cast_slice(&self.0)
        }
    }
}
