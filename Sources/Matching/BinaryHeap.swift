/// A binary min-heap of (key, item) for Dijkstra. Hand-written: swift-collections' `Heap`
/// stores only `Comparable` elements, and a struct of two fields with a custom `<` is slower here
/// than two parallel arrays.
struct MinHeap {
    private(set) var keys: [Double] = []
    private(set) var items: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
    }

    mutating func push(_ key: Double, _ item: Int32) {
        keys.append(key)
        items.append(item)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) >> 1
            if keys[parent] <= key { break }
            keys[child] = keys[parent]
            items[child] = items[parent]
            child = parent
        }
        keys[child] = key
        items[child] = item
    }

    mutating func pop() -> (key: Double, item: Int32) {
        let top = (keys[0], items[0])
        let lastKey = keys.removeLast()
        let lastItem = items.removeLast()
        let count = keys.count
        if count > 0 {
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count && keys[child + 1] < keys[child] { child += 1 }
                if keys[child] >= lastKey { break }
                keys[parent] = keys[child]
                items[parent] = items[child]
                parent = child
            }
            keys[parent] = lastKey
            items[parent] = lastItem
        }
        return top
    }
}
